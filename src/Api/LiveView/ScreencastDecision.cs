namespace UFBrowsers.Api.LiveView;

/// <summary>What the live view does with one screencast frame (see <see cref="ScreencastPacer"/>).</summary>
internal enum ScreencastDecision
{
    /// <summary>Send it to the viewers and let the browser capture the next one.</summary>
    Send,

    /// <summary>Send it to the viewers and stop the screencast until the next frame is due: the page is busy.</summary>
    SendAndStop,

    /// <summary>The page has not changed since the last frame sent: let the browser capture the next one, send nothing.</summary>
    AcknowledgeOnly,

    /// <summary>Too soon after the last frame sent: stop the screencast until the next frame is due.</summary>
    Stop,

    /// <summary>From a screencast already stopped: nothing to do.</summary>
    Drop,
}
