using System.Buffers;

namespace UFBrowsers.Api.Gateway;

/// <summary>
/// Follows the frames of one direction of a WebSocket connection through its bytes, read in pieces of any size: only
/// frame headers are parsed, payload is counted. Besides each header's own checks it enforces the order of a
/// fragmented message (a continuation frame only inside a message, a new message only after the last one finished).
/// </summary>
public sealed class FrameCursor
{
    private WebSocketFrameHeader _frame;
    private long _payloadLeft;
    private bool _inMessage;

    /// <summary>Steps over the next piece at the start of <paramref name="data"/>, the bytes not yet stepped over.</summary>
    public FramePiece Next(ReadOnlySpan<byte> data)
    {
        if (_payloadLeft > 0)
        {
            var count = (int)Math.Min(_payloadLeft, data.Length);
            _payloadLeft -= count;
            return new FramePiece(FramePieceKind.Continuation, _frame, count, count) { EndsFrame = _payloadLeft == 0 };
        }

        var status = WebSocketFrameHeader.TryRead(data, out var header);
        if (status != OperationStatus.Done)
        {
            return status == OperationStatus.NeedMoreData ? FramePiece.NeedMore : FramePiece.Invalid;
        }

        var arrived = data.Length - header.Length;
        if (header.IsControl)
        {
            return arrived < header.PayloadLength
                ? FramePiece.NeedMore
                : new FramePiece(FramePieceKind.Whole, header, header.Length + (int)header.PayloadLength, (int)header.PayloadLength);
        }

        if ((header.Opcode == WebSocketOpcode.Continuation) != _inMessage)
        {
            return FramePiece.Invalid;
        }

        if (arrived >= header.PayloadLength)
        {
            _inMessage = !header.Fin;
            return new FramePiece(FramePieceKind.Whole, header, header.Length + (int)header.PayloadLength, (int)header.PayloadLength);
        }

        if (arrived == 0)
        {
            return FramePiece.NeedMore;
        }

        _inMessage = !header.Fin;
        _frame = header;
        _payloadLeft = header.PayloadLength - arrived;
        return new FramePiece(FramePieceKind.Start, header, data.Length, arrived);
    }
}
