using System.Buffers.Binary;
using System.Text.Json;
using UFBrowsers.Silo.Browsers;

namespace UFBrowsers.Api.LiveView;

/// <summary>The screencast of the shown tab: frames paced (<see cref="ScreencastPacer"/>), acknowledged for the viewers, and its settings adapted to them.</summary>
internal sealed partial class LiveViewSession
{
    private Task StartScreencastAsync(string session, CancellationToken cancellationToken) =>
        _cdp.SendAsync("Page.startScreencast", new
        {
            format = "jpeg",
            quality = _quality,
            maxWidth = _frameSize.Width,
            maxHeight = _frameSize.Height,
            everyNthFrame = _everyNthFrame,
        }, session, cancellationToken);

    private void OnFrame(CdpEvent e)
    {
        if (e.SessionId is null || e.SessionId != _tabSession)
        {
            return;
        }

        var session = e.SessionId;
        var screencastId = e.Params.GetProperty("sessionId").GetInt32();
        var data = e.Params.GetProperty("data").GetBytesFromBase64();
        ScreencastDecision decision;
        (TimeSpan Delay, int Pause) restart = default;
        lock (_lock)
        {
            decision = _pacer.OnFrame(screencastId, data);
            if (decision is ScreencastDecision.Stop or ScreencastDecision.SendAndStop)
            {
                restart = _pacer.RestartAfter();
            }
        }

        switch (decision)
        {
            case ScreencastDecision.Drop:
                return;
            case ScreencastDecision.AcknowledgeOnly:
                Acknowledge(screencastId, session);
                return;
            case ScreencastDecision.Stop:
                _ = PauseAsync(session, restart.Delay, restart.Pause);
                return;
            case ScreencastDecision.SendAndStop:
                // Stopped before the frame goes out, so that the browser captures no other one meanwhile.
                _ = PauseAsync(session, restart.Delay, restart.Pause);
                break;
        }

        var metadata = e.Params.GetProperty("metadata");
        var header = JsonSerializer.SerializeToUtf8Bytes(new
        {
            seq = Interlocked.Increment(ref _sequence),
            width = metadata.GetProperty("deviceWidth").GetDouble(),
            height = metadata.GetProperty("deviceHeight").GetDouble(),
            offsetTop = metadata.GetProperty("offsetTop").GetDouble(),
            capturedAt = metadata.TryGetProperty("timestamp", out var at) ? at.GetDouble() * 1000 : 0,
        });
        // [header length, 4 bytes big-endian][header JSON][JPEG]
        var frame = new byte[4 + header.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, header.Length);
        header.CopyTo(frame, 4);
        data.CopyTo(frame, 4 + header.Length);

        // Taken with the last frame in one step, so a viewer that joins now gets this frame either way (TryAdd).
        List<LiveViewer> viewers;
        lock (_lock)
        {
            viewers = [.. _viewers];
            if (session == _tabSession)
            {
                _lastFrame = frame;
            }
        }

        var ackNow = viewers.Exists(v => v.CanTakeFrame);
        foreach (var viewer in viewers)
        {
            viewer.OfferFrame(frame);
        }

        // A stopped screencast needs no acknowledgement: its restart begins afresh.
        var running = decision == ScreencastDecision.Send;
        lock (_lock)
        {
            _framesCaptured++;
            if (!ackNow)
            {
                _framesHeld++;
                _heldAck = running ? screencastId : null;
            }
        }

        if (ackNow && running)
        {
            Acknowledge(screencastId, session);
        }
    }

    /// <summary>A viewer caught up: the browser may paint the next frame.</summary>
    private void ReleaseHeldAck()
    {
        int? screencastId;
        lock (_lock)
        {
            screencastId = _heldAck;
            _heldAck = null;
        }

        if (screencastId is { } id && _tabSession is { } session)
        {
            Acknowledge(id, session);
        }
    }

    private void Acknowledge(int screencastId, string session) =>
        _ = Quietly(() => _cdp.SendAsync("Page.screencastFrameAck", new { sessionId = screencastId }, session));

    /// <summary>Stops the tab's screencast until the next frame is due, then starts it again unless the view moved on.</summary>
    private async Task PauseAsync(string session, TimeSpan delay, int pause)
    {
        await Quietly(() => _cdp.SendAsync("Page.stopScreencast", sessionId: session));
        try
        {
            await Task.Delay(delay, _closing.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        bool restart;
        lock (_lock)
        {
            restart = !_closed && _tabSession == session && _pacer.TryRestart(pause);
        }

        if (restart)
        {
            await Quietly(() => StartScreencastAsync(session, CancellationToken.None));
        }
    }

    /// <summary>Adapts the screencast to the viewers: their size, and how many frames had to wait for them.</summary>
    private async Task AdaptAsync()
    {
        (int Width, int Height) size;
        int quality, nth;
        bool paused;
        lock (_lock)
        {
            if (_closed || _viewers.Count == 0)
            {
                return;
            }

            var widest = _viewers.Max(v => v.Size.Width);
            var tallest = _viewers.Max(v => v.Size.Height);
            size = widest > 0 && tallest > 0
                ? (Math.Clamp(widest, 160, _options.MaxFrameWidth), Math.Clamp(tallest, 120, _options.MaxFrameHeight))
                : _frameSize;
            var waited = _framesCaptured == 0 ? 0 : (double)_framesHeld / _framesCaptured;
            _framesHeld = _framesCaptured = 0;
            quality = _quality;
            nth = _everyNthFrame;
            paused = _pacer.Paused;
            if (waited > 0.5)
            {
                _calmRounds = 0;
                if (quality > _options.MinQuality)
                {
                    quality = Math.Max(_options.MinQuality, quality - 10);
                }
                else
                {
                    nth = Math.Min(4, nth + 1);
                }
            }
            else if (waited < 0.1 && ++_calmRounds >= 2)
            {
                _calmRounds = 0;
                if (nth > 1)
                {
                    nth--;
                }
                else
                {
                    quality = Math.Min(_options.MaxQuality, quality + 10);
                }
            }
        }

        if (size == _frameSize && quality == _quality && nth == _everyNthFrame || _tabSession is not { } session)
        {
            return;
        }

        (_frameSize, _quality, _everyNthFrame) = (size, quality, nth);
        if (paused)
        {
            // The screencast starts again with these when the next frame is due.
            return;
        }

        await Quietly(() => StartScreencastAsync(session, CancellationToken.None));
    }
}
