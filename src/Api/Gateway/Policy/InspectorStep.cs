using System.Net.WebSockets;

namespace UFBrowsers.Api.Gateway.Policy;

/// <summary>
/// What the relay does with the client bytes at the start of its buffer: send the first <see cref="Forward"/> to the
/// browser as they are, then <see cref="ToBrowser"/> to the browser and <see cref="ToClient"/> to the client, end the
/// session if <see cref="EndSession"/>, stop if <see cref="Stop"/>; then drop the first <see cref="Consumed"/> bytes.
/// </summary>
/// <param name="More">Bytes after <see cref="Consumed"/> may still be unread by the inspector: call it again before reading.</param>
public readonly record struct InspectorStep(int Forward, int Consumed, InspectorStop? Stop, bool More)
{
    /// <summary>A command in place of the client's (masked, as the browser expects from a client).</summary>
    public byte[]? ToBrowser { get; init; }

    /// <summary>The gateway's own answer to the client's command (a whole server frame).</summary>
    public byte[]? ToClient { get; init; }

    /// <summary>The client closed the browser: end the session as <c>browser_closed</c>.</summary>
    public bool EndSession { get; init; }

    /// <summary>The client's command as a frame of its own, for the browser if the session could not be ended.</summary>
    public byte[]? Original { get; init; }

    public WebSocketCloseStatus? CloseStatus { get; init; }

    public string? CloseReason { get; init; }
}

public enum InspectorStop
{
    /// <summary>The client's close frame, which was forwarded.</summary>
    Closed,

    /// <summary>Bytes that are not valid client frames (1002).</summary>
    Invalid,

    /// <summary>A message over the size limit (1009).</summary>
    TooBig,

    /// <summary>A policed command too large to hold back, caught with its last byte unsent (1008).</summary>
    PolicyViolation,
}
