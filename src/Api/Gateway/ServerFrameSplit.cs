namespace UFBrowsers.Api.Gateway;

/// <summary>
/// One <see cref="ServerFrameSplitter.Split"/>: send <c>buffer[Start..End]</c>; the bytes from <see cref="Held"/> on
/// are for the next call. When <see cref="Stop"/> is <see cref="ServerFrameSplitStop.Close"/>, the server's close
/// frame is <c>buffer[End..Held]</c> (not sent) and nothing after it matters.
/// </summary>
public readonly record struct ServerFrameSplit(int Start, int End, int Held, ServerFrameSplitStop? Stop);

public enum ServerFrameSplitStop
{
    /// <summary>The server sent a close frame.</summary>
    Close,

    /// <summary>The server's bytes are not valid frames (or are masked).</summary>
    Invalid,
}
