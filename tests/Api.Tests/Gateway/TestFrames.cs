using System.Buffers.Binary;
using UFBrowsers.Api.Gateway;

namespace UFBrowsers.Api.Tests.Gateway;

/// <summary>WebSocket frames built by hand, independently of the gateway's own header writer.</summary>
internal static class TestFrames
{
    private static readonly byte[] MaskKey = [0x37, 0xFA, 0x21, 0x3D];

    public static byte[] Frame(WebSocketOpcode opcode, byte[] payload, bool fin = true, bool masked = false)
    {
        var header = new List<byte> { (byte)((fin ? 0x80 : 0) | (byte)opcode) };
        var maskBit = masked ? 0x80 : 0;
        if (payload.Length < 126)
        {
            header.Add((byte)(maskBit | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header.Add((byte)(maskBit | 126));
            header.AddRange(BigEndian((ushort)payload.Length));
        }
        else
        {
            header.Add((byte)(maskBit | 127));
            var length = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(length, (ulong)payload.Length);
            header.AddRange(length);
        }

        var body = (byte[])payload.Clone();
        if (masked)
        {
            header.AddRange(MaskKey);
            for (var i = 0; i < body.Length; i++)
            {
                body[i] ^= MaskKey[i % 4];
            }
        }

        return [.. header, .. body];
    }

    public static byte[] Close(ushort code, string reason, bool masked = false) =>
        Frame(WebSocketOpcode.Close, [.. BigEndian(code), .. System.Text.Encoding.UTF8.GetBytes(reason)], masked: masked);

    public static byte[] Payload(int length, int seed)
    {
        var payload = new byte[length];
        new Random(seed).NextBytes(payload);
        return payload;
    }

    private static byte[] BigEndian(ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        return bytes;
    }
}
