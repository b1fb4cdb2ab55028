using System.Globalization;
using System.Runtime.CompilerServices;

namespace UFBrowsers.Api.Gateway.Policy;

/// <summary>Decodes the escapes of a short ASCII JSON string body (between its quotes), as Chromium's parser does.</summary>
internal static class JsonStringDecoder
{
    /// <summary>
    /// Writes the decoded text to <paramref name="destination"/> (at least as long as <paramref name="raw"/>); false for an
    /// escape Chromium's parser does not decode (<c>\x</c> and anything not JSON's or <c>\v</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryDecode(ReadOnlySpan<byte> raw, Span<char> destination, out int written)
    {
        written = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b != (byte)'\\')
            {
                destination[written++] = (char)b;
                continue;
            }

            if (++i == raw.Length)
            {
                return false;
            }

            char decoded;
            switch (raw[i])
            {
                case (byte)'"' or (byte)'\\' or (byte)'/':
                    decoded = (char)raw[i];
                    break;
                case (byte)'b':
                    decoded = '\b';
                    break;
                case (byte)'f':
                    decoded = '\f';
                    break;
                case (byte)'n':
                    decoded = '\n';
                    break;
                case (byte)'r':
                    decoded = '\r';
                    break;
                case (byte)'t':
                    decoded = '\t';
                    break;
                case (byte)'v':
                    decoded = '\v';
                    break;
                case (byte)'u' when i + 4 < raw.Length
                                    && ushort.TryParse(raw.Slice(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit):
                    decoded = (char)unit;
                    i += 4;
                    break;
                default:
                    return false;
            }

            destination[written++] = decoded;
        }

        return true;
    }

    /// <summary>The decoded text, or null when <see cref="TryDecode"/> would refuse it.</summary>
    public static string? Decode(ReadOnlySpan<byte> raw)
    {
        var text = raw.Length <= 256 ? stackalloc char[raw.Length] : new char[raw.Length];
        return TryDecode(raw, text, out var written) ? new string(text[..written]) : null;
    }
}
