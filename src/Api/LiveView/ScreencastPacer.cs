namespace UFBrowsers.Api.LiveView;

/// <summary>
/// Decides, frame by frame, what the live view does with a tab's screencast so that a page that changes all the time
/// costs its browser one captured frame per <see cref="LiveViewOptions.MinFrameInterval"/>, not one per frame it draws.
/// </summary>
/// <remarks>
/// A running screencast has the browser capture and encode every frame it draws, acknowledged or not (up to the few it
/// keeps in flight), and on a busy page that work slows the automation. So a frame that comes before the next one is due
/// stops the screencast, and it is started again when the next frame is due; from then on, while the page stays busy,
/// the screencast is stopped right after each frame it sends, so the browser captures one frame per interval. Each start has a new screencast id (the
/// frame's <c>sessionId</c>), so frames still on their way from a stopped screencast are told apart and dropped: they need
/// no acknowledgement, a start begins afresh. A start sends the page as it is; a frame the same as the last one sent
/// means the page went still: it is acknowledged without being sent, and the screencast runs on, so the next change is
/// sent at once. Not thread-safe: the live view calls it under its lock.
/// </remarks>
internal sealed class ScreencastPacer(TimeSpan interval, TimeProvider time)
{
    private int _stoppedThrough = -1;
    private long _nextFrameAt;
    private byte[]? _lastSent;
    private int _pause;
    private bool _busy;

    /// <summary>Whether the screencast is stopped and waits for <see cref="TryRestart"/>.</summary>
    public bool Paused { get; private set; }

    public ScreencastDecision OnFrame(int screencastId, byte[] image)
    {
        if (screencastId <= _stoppedThrough)
        {
            return ScreencastDecision.Drop;
        }

        if (_lastSent is not null && image.AsSpan().SequenceEqual(_lastSent))
        {
            _busy = false;
            return ScreencastDecision.AcknowledgeOnly;
        }

        var now = time.GetTimestamp();
        if (now >= _nextFrameAt)
        {
            _nextFrameAt = now + (long)(interval.TotalSeconds * time.TimestampFrequency);
            _lastSent = image;
            if (!_busy)
            {
                return ScreencastDecision.Send;
            }

            Pause(screencastId);
            return ScreencastDecision.SendAndStop;
        }

        _busy = true;
        Pause(screencastId);
        return ScreencastDecision.Stop;
    }

    private void Pause(int screencastId)
    {
        _stoppedThrough = screencastId;
        Paused = true;
        _pause++;
    }

    /// <summary>How long after a <see cref="ScreencastDecision.Stop"/> or <see cref="ScreencastDecision.SendAndStop"/> to start the screencast again, and which pause that is.</summary>
    public (TimeSpan Delay, int Pause) RestartAfter()
    {
        var wait = _nextFrameAt - time.GetTimestamp();
        return (wait > 0 ? TimeSpan.FromSeconds((double)wait / time.TimestampFrequency) : TimeSpan.Zero, _pause);
    }

    /// <summary>
    /// True when <paramref name="pause"/> is still the current one and the screencast should be started again now;
    /// false when a tab switch or a later pause took over.
    /// </summary>
    public bool TryRestart(int pause)
    {
        if (!Paused || pause != _pause)
        {
            return false;
        }

        Paused = false;
        return true;
    }

    /// <summary>A new tab: its screencast ids start afresh, and its first frame is sent at once.</summary>
    public void Reset()
    {
        _stoppedThrough = -1;
        _nextFrameAt = 0;
        _lastSent = null;
        _busy = false;
        Paused = false;
        _pause++;
    }
}
