using System.Numerics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace UFBrowsers.Api.Gateway.Policy;

/// <summary>RFC 6455 masking (section 5.3): payload byte i is XORed with byte (i mod 4) of the frame's 4-byte key.</summary>
public static class Masking
{
    /// <summary>
    /// Writes <paramref name="source"/> XOR the key to <paramref name="destination"/>; <paramref name="offset"/> is the
    /// position of <paramref name="source"/>'s first byte in its frame's payload. Unmasks as well as it masks.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply(ReadOnlySpan<byte> source, Span<byte> destination, ReadOnlySpan<byte> key, long offset)
    {
        Span<byte> rotated = stackalloc byte[4];
        for (var k = 0; k < 4; k++)
        {
            rotated[k] = key[(int)((offset + k) & 3)];
        }

        var i = 0;
        if (Vector.IsHardwareAccelerated && source.Length >= Vector<byte>.Count)
        {
            Span<byte> pattern = stackalloc byte[Vector<byte>.Count];
            for (var k = 0; k < pattern.Length; k++)
            {
                pattern[k] = rotated[k & 3];
            }

            var mask = new Vector<byte>(pattern);
            for (; i <= source.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                (new Vector<byte>(source[i..]) ^ mask).CopyTo(destination[i..]);
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = (byte)(source[i] ^ rotated[i & 3]);
        }
    }

    /// <summary>A whole client frame (final, masked with a fresh key) carrying <paramref name="payload"/>, as a browser expects from a client.</summary>
    public static byte[] ClientFrame(WebSocketOpcode opcode, ReadOnlySpan<byte> payload)
    {
        var header = WebSocketFrameHeader.Unmasked(true, opcode, payload.Length);
        var frame = new byte[header.Length + 4 + payload.Length];
        header.Write(frame);
        frame[1] |= 0x80;
        var key = frame.AsSpan(header.Length, 4);
        RandomNumberGenerator.Fill(key);
        Apply(payload, frame.AsSpan(header.Length + 4), key, 0);
        return frame;
    }
}
