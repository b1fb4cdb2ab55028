using System.Diagnostics;

namespace UFBrowsers.Api.Gateway;

/// <summary>
/// Cuts a server's frames (the browser's, unmasked), as they arrive, into writes that each end on a frame boundary:
/// whole frames pass as they are; a data frame that has only partly arrived goes out as a fragment of what has, its
/// header rewritten in place, and the rest follows as continuation frames. RFC 6455 (section 5.4) lets an intermediary
/// re-fragment a message when no extension is in use. So the relay can put a close frame of its own on the wire
/// between any two writes, even when the browser disappears in the middle of an 11 MB screenshot.
/// </summary>
public sealed class ServerFrameSplitter
{
    /// <summary>Room to leave in front of the bytes of each read, for the header of a continuation fragment.</summary>
    public const int Headroom = 10;

    private readonly FrameCursor _cursor = new();

    /// <summary>
    /// Splits <c>buffer[Headroom..end]</c>, the bytes held back by the previous call followed by the bytes just read.
    /// The result says which bytes to send and where the bytes to hold back for the next call start; the caller moves
    /// those to <see cref="Headroom"/> before reading again.
    /// </summary>
    public ServerFrameSplit Split(Span<byte> buffer, int end)
    {
        var start = Headroom;
        var position = Headroom;
        while (position < end)
        {
            var piece = _cursor.Next(buffer[position..end]);
            switch (piece.Kind)
            {
                case FramePieceKind.NeedMore:
                    return new ServerFrameSplit(start, position, position, null);
                case FramePieceKind.Invalid:
                    return new ServerFrameSplit(start, position, position, ServerFrameSplitStop.Invalid);
                case FramePieceKind.Whole when piece.Frame.Masked:
                    return new ServerFrameSplit(start, position, position, ServerFrameSplitStop.Invalid);
                case FramePieceKind.Whole when piece.Frame.Opcode == WebSocketOpcode.Close:
                    return new ServerFrameSplit(start, position, position + piece.Length, ServerFrameSplitStop.Close);
                case FramePieceKind.Whole:
                    break;
                case FramePieceKind.Start when piece.Frame.Masked:
                    return new ServerFrameSplit(start, position, position, ServerFrameSplitStop.Invalid);
                case FramePieceKind.Start:
                {
                    // The shorter header (fewer bytes of payload may need a shorter length field) ends where the
                    // original did; what went before it moves up to close the gap.
                    var fragment = WebSocketFrameHeader.Unmasked(false, piece.Frame.Opcode, piece.PayloadLength);
                    var shrink = piece.Frame.Length - fragment.Length;
                    if (shrink > 0)
                    {
                        buffer[start..position].CopyTo(buffer[(start + shrink)..]);
                        start += shrink;
                    }

                    fragment.Write(buffer[(position + shrink)..]);
                    break;
                }

                case FramePieceKind.Continuation:
                {
                    // Continuations only ever begin a read: the frame they continue took all of the previous one.
                    Debug.Assert(position == Headroom);
                    var fragment = WebSocketFrameHeader.Unmasked(piece.EndsFrame && piece.Frame.Fin, WebSocketOpcode.Continuation, piece.PayloadLength);
                    start = position - fragment.Length;
                    fragment.Write(buffer[start..]);
                    break;
                }
            }

            position += piece.Length;
        }

        return new ServerFrameSplit(start, position, position, null);
    }
}
