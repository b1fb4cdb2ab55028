using System.Globalization;
using System.Text;

namespace UFBrowsers.Api.Gateway.Policy;

/// <summary>Decodes the escapes of a short ASCII JSON string body (between its quotes), as Chromium's parser does.</summary>
internal static class JsonStringDecoder
{
    /// <summary>The decoded text, or null for an escape Chromium's parser does not decode (<c>\x</c> and anything not JSON's or <c>\v</c>).</summary>
    public static string? Decode(ReadOnlySpan<byte> raw)
    {
        if (!raw.Contains((byte)'\\'))
        {
            return Encoding.ASCII.GetString(raw);
        }

        var text = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b != (byte)'\\')
            {
                text.Append((char)b);
                continue;
            }

            if (++i == raw.Length)
            {
                return null;
            }

            switch (raw[i])
            {
                case (byte)'"' or (byte)'\\' or (byte)'/':
                    text.Append((char)raw[i]);
                    break;
                case (byte)'b':
                    text.Append('\b');
                    break;
                case (byte)'f':
                    text.Append('\f');
                    break;
                case (byte)'n':
                    text.Append('\n');
                    break;
                case (byte)'r':
                    text.Append('\r');
                    break;
                case (byte)'t':
                    text.Append('\t');
                    break;
                case (byte)'v':
                    text.Append('\v');
                    break;
                case (byte)'u' when i + 4 < raw.Length
                                    && ushort.TryParse(raw.Slice(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit):
                    text.Append((char)unit);
                    i += 4;
                    break;
                default:
                    return null;
            }
        }

        return text.ToString();
    }
}
