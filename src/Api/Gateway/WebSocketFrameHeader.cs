using System.Buffers;
using System.Buffers.Binary;

namespace UFBrowsers.Api.Gateway;

/// <summary>
/// The header of one WebSocket frame (RFC 6455 section 5.2): two bytes, a 16- or 64-bit extended payload length if
/// the payload has 126 bytes or more, and a 4-byte masking key if the frame is masked; 2 to 14 bytes in all.
/// </summary>
/// <param name="Length">The header's own size in bytes.</param>
public readonly record struct WebSocketFrameHeader(bool Fin, WebSocketOpcode Opcode, bool Masked, long PayloadLength, int Length)
{
    public const int MaxLength = 14;

    public const int MaxControlPayload = 125;

    public bool IsControl => Opcode >= WebSocketOpcode.Close;

    /// <summary>An unmasked header (as a server sends it) with the shortest length encoding, as the RFC requires.</summary>
    public static WebSocketFrameHeader Unmasked(bool fin, WebSocketOpcode opcode, long payloadLength) =>
        new(fin, opcode, false, payloadLength, payloadLength < 126 ? 2 : payloadLength <= ushort.MaxValue ? 4 : 10);

    /// <summary>
    /// Reads the header at the start of <paramref name="data"/>: <see cref="OperationStatus.NeedMoreData"/> while it
    /// has not all arrived, <see cref="OperationStatus.InvalidData"/> for reserved bits (no extension is ever
    /// negotiated), unknown opcodes, fragmented or oversized control frames and lengths above 2^63.
    /// </summary>
    public static OperationStatus TryRead(ReadOnlySpan<byte> data, out WebSocketFrameHeader header)
    {
        header = default;
        if (data.Length < 2)
        {
            return OperationStatus.NeedMoreData;
        }

        var fin = (data[0] & 0x80) != 0;
        var opcode = (WebSocketOpcode)(data[0] & 0x0F);
        var masked = (data[1] & 0x80) != 0;
        long payloadLength = data[1] & 0x7F;
        var length = 2;
        if ((data[0] & 0x70) != 0 || !Enum.IsDefined(opcode))
        {
            return OperationStatus.InvalidData;
        }

        if (payloadLength == 126)
        {
            if (data.Length < 4)
            {
                return OperationStatus.NeedMoreData;
            }

            payloadLength = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
            length = 4;
        }
        else if (payloadLength == 127)
        {
            if (data.Length < 10)
            {
                return OperationStatus.NeedMoreData;
            }

            var longLength = BinaryPrimitives.ReadUInt64BigEndian(data[2..]);
            if (longLength > long.MaxValue)
            {
                return OperationStatus.InvalidData;
            }

            payloadLength = (long)longLength;
            length = 10;
        }

        if (opcode >= WebSocketOpcode.Close && (!fin || payloadLength > MaxControlPayload))
        {
            return OperationStatus.InvalidData;
        }

        length += masked ? 4 : 0;
        if (data.Length < length)
        {
            return OperationStatus.NeedMoreData;
        }

        header = new WebSocketFrameHeader(fin, opcode, masked, payloadLength, length);
        return OperationStatus.Done;
    }

    /// <summary>Copies the masking key of this (masked) header, read from <paramref name="frame"/>, the bytes it starts.</summary>
    public void CopyMaskKey(ReadOnlySpan<byte> frame, Span<byte> key) => frame.Slice(Length - 4, 4).CopyTo(key);

    /// <summary>Writes this (unmasked) header to the start of <paramref name="destination"/>, in <see cref="Length"/> bytes.</summary>
    public void Write(Span<byte> destination)
    {
        if (Masked)
        {
            throw new InvalidOperationException("The gateway writes only unmasked (server) frame headers.");
        }

        destination[0] = (byte)((Fin ? 0x80 : 0) | (byte)Opcode);
        switch (Length)
        {
            case 2:
                destination[1] = (byte)PayloadLength;
                break;
            case 4:
                destination[1] = 126;
                BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)PayloadLength);
                break;
            default:
                destination[1] = 127;
                BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)PayloadLength);
                break;
        }
    }
}
