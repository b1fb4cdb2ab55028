using System.Buffers;
using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;

namespace UFBrowsers.Api.Gateway;

/// <summary>Close frames (RFC 6455 section 5.5.1): a 2-byte status code and a UTF-8 reason, 125 bytes at most.</summary>
public static class CloseFrame
{
    public const int MaxReasonBytes = WebSocketFrameHeader.MaxControlPayload - 2;

    /// <summary>The close frame a server sends (unmasked); a reason longer than 123 bytes is cut at a character boundary.</summary>
    public static byte[] ForClient(GatewayClose close)
    {
        var reason = Encoding.UTF8.GetBytes(close.Reason);
        var reasonLength = Math.Min(reason.Length, MaxReasonBytes);
        while (reasonLength < reason.Length && (reason[reasonLength] & 0xC0) == 0x80)
        {
            reasonLength--;
        }

        var header = WebSocketFrameHeader.Unmasked(true, WebSocketOpcode.Close, 2 + reasonLength);
        var frame = new byte[header.Length + header.PayloadLength];
        header.Write(frame);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(header.Length), (ushort)close.Status);
        reason.AsSpan(0, reasonLength).CopyTo(frame.AsSpan(header.Length + 2));
        return frame;
    }

    /// <summary>The status and reason of a whole, valid close frame, masked or not; a status of null when it carries none.</summary>
    public static (WebSocketCloseStatus? Status, string? Reason) Read(ReadOnlySpan<byte> frame)
    {
        if (WebSocketFrameHeader.TryRead(frame, out var header) != OperationStatus.Done || header.Opcode != WebSocketOpcode.Close)
        {
            throw new ArgumentException("Not a close frame.", nameof(frame));
        }

        Span<byte> payload = stackalloc byte[(int)header.PayloadLength];
        frame.Slice(header.Length, payload.Length).CopyTo(payload);
        if (header.Masked)
        {
            var key = frame.Slice(header.Length - 4, 4);
            for (var i = 0; i < payload.Length; i++)
            {
                payload[i] ^= key[i % 4];
            }
        }

        return payload.Length < 2
            ? (null, null)
            : ((WebSocketCloseStatus)BinaryPrimitives.ReadUInt16BigEndian(payload), Encoding.UTF8.GetString(payload[2..]));
    }
}
