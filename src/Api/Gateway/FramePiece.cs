namespace UFBrowsers.Api.Gateway;

/// <summary>
/// What a <see cref="FrameCursor"/> found at the start of the unread bytes: <see cref="Length"/> bytes to step over,
/// of which the last <see cref="PayloadLength"/> are payload of <see cref="Frame"/>.
/// </summary>
public readonly record struct FramePiece(FramePieceKind Kind, WebSocketFrameHeader Frame, int Length, int PayloadLength)
{
    public static readonly FramePiece NeedMore = new(FramePieceKind.NeedMore, default, 0, 0);

    public static readonly FramePiece Invalid = new(FramePieceKind.Invalid, default, 0, 0);

    /// <summary>Whether the bytes after this piece start a new frame.</summary>
    public bool EndsFrame { get; init; } = Kind == FramePieceKind.Whole;
}

public enum FramePieceKind
{
    /// <summary>A frame header (or a control frame) has only partly arrived; nothing is stepped over.</summary>
    NeedMore,

    /// <summary>The bytes are not a valid frame; the connection cannot continue.</summary>
    Invalid,

    /// <summary>A whole frame, header and payload. Control frames are always reported whole.</summary>
    Whole,

    /// <summary>A data frame's header and the part of its payload that has arrived (at least one byte, not all).</summary>
    Start,

    /// <summary>More payload of the frame a <see cref="Start"/> began; <see cref="FramePiece.EndsFrame"/> if it is the last.</summary>
    Continuation,
}
