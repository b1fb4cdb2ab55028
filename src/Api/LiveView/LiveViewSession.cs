using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using UFBrowsers.Pods;
using UFBrowsers.Silo.Browsers;

namespace UFBrowsers.Api.LiveView;

/// <summary>
/// The live view of one session, shared by all its viewers: the control plane's own CDP connection to the session's
/// browser (not a customer connection: it is not counted by the session, does not touch its idle clock and does not
/// pass the gateway's policy), which follows the current tab and screencasts it while at least one viewer watches.
/// </summary>
/// <remarks>
/// At most one frame per <see cref="LiveViewOptions.MinFrameInterval"/> is taken from the browser, with the screencast
/// stopped in between while the page changes faster than that (<see cref="ScreencastPacer"/>), and a frame is
/// acknowledged (<c>Page.screencastFrameAck</c>) only when some viewer can take a new one, so the browser paints for the
/// fastest viewer and no faster. Every two seconds the settings are adapted: the frame size to
/// the largest viewer, and quality, then every-nth-frame, lowered while frames wait on the viewers and raised again while
/// they keep up.
/// </remarks>
internal sealed class LiveViewSession : IAsyncDisposable
{
    private static readonly TimeSpan AdaptEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan BlankTabPatience = TimeSpan.FromSeconds(1);

    private readonly CdpClient _cdp;
    private readonly LiveViewOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly List<LiveViewer> _viewers = [];
    private readonly List<string> _recentTabs = [];
    private readonly Dictionary<string, (string Url, string Title)> _tabs = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _switching = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly Timer _adaptTimer;
    private readonly ScreencastPacer _pacer;
    private string? _tab;

    // Target.setDiscoverTargets reports every tab that already exists as created; only tabs opened after the view has
    // chosen its first one are followed as new (else an old about:blank tab reported last could take the view, and the
    // input, away from the page the automation drives).
    private bool _followNewTabs;
    private string? _tabSession;
    private int? _heldAck;
    private byte[]? _lastFrame;
    private int _quality;
    private int _everyNthFrame = 1;
    private (int Width, int Height) _frameSize = (1280, 800);
    private long _framesHeld;
    private long _framesCaptured;
    private int _calmRounds;
    private long _sequence;
    private bool _closed;
    private bool _disposed;

    private LiveViewSession(string sessionId, CdpClient cdp, LiveViewOptions options, ILogger logger)
    {
        SessionId = sessionId;
        _cdp = cdp;
        _options = options;
        _logger = logger;
        _quality = options.MaxQuality;
        _pacer = new ScreencastPacer(options.MinFrameInterval, TimeProvider.System);
        _adaptTimer = new Timer(_ => _ = AdaptAsync(), null, AdaptEvery, AdaptEvery);
    }

    public string SessionId { get; }

    /// <summary>Completes when the browser connection ends: the session ended (its pod went) or the view was closed.</summary>
    public Task BrowserGone => _cdp.Closed;

    public int ViewerCount
    {
        get
        {
            lock (_lock)
            {
                return _viewers.Count;
            }
        }
    }

    public static async Task<LiveViewSession> StartAsync(string sessionId, PodLease pod, LiveViewOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var cdp = await CdpClient.ConnectAsync(pod, cancellationToken);
        var view = new LiveViewSession(sessionId, cdp, options, logger);
        try
        {
            cdp.EventReceived += view.OnEvent;
            await cdp.SendAsync("Target.setDiscoverTargets", new { discover = true }, cancellationToken: cancellationToken);
            var targets = await cdp.SendAsync("Target.getTargets", cancellationToken: cancellationToken);
            lock (view._lock)
            {
                foreach (var target in targets.GetProperty("targetInfos").EnumerateArray())
                {
                    view.Track(target);
                }

                view._followNewTabs = true;
            }

            await view.FollowAsync(await view.FullestBlankTabAsync(cancellationToken), cancellationToken);
            return view;
        }
        catch
        {
            await view.DisposeAsync();
            throw;
        }
    }

    /// <summary>Adds a viewer; false when the view is closing or full.</summary>
    public bool TryAdd(LiveViewer viewer)
    {
        byte[]? lastFrame;
        lock (_lock)
        {
            if (_closed || _viewers.Count >= _options.MaxViewersPerSession)
            {
                return false;
            }

            _viewers.Add(viewer);
            lastFrame = _lastFrame;
        }

        viewer.Send(TabsMessage());
        if (lastFrame is not null)
        {
            // A still page sends no new frames: a viewer joining a running view starts from the last one.
            viewer.OfferFrame(lastFrame);
        }

        return true;
    }

    /// <summary>Removes a viewer and returns how many are left.</summary>
    public int Remove(LiveViewer viewer)
    {
        lock (_lock)
        {
            _viewers.Remove(viewer);
            if (_viewers.Count == 0)
            {
                _closed = true;
            }

            return _viewers.Count;
        }
    }

    public void CloseViewers(WebSocketCloseStatus status, string reason)
    {
        List<LiveViewer> viewers;
        lock (_lock)
        {
            _closed = true;
            viewers = [.. _viewers];
        }

        foreach (var viewer in viewers)
        {
            viewer.Send(JsonSerializer.Serialize(new { type = "ended", reason }));
            viewer.Close(status, reason);
        }
    }

    /// <summary>A message from a viewer: its acknowledgement of a frame, its size, a tab to show, or input.</summary>
    public async Task HandleAsync(LiveViewer viewer, JsonElement message, CancellationToken cancellationToken)
    {
        var type = message.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
        switch (type)
        {
            case "ack":
                viewer.Acknowledged();
                ReleaseHeldAck();
                return;
            case "size" when message.TryGetProperty("width", out var w) && message.TryGetProperty("height", out var h)
                             && w.TryGetInt32(out var width) && h.TryGetInt32(out var height):
                viewer.Size = (Math.Clamp(width, 0, 10_000), Math.Clamp(height, 0, 10_000));
                return;
            case "tab" when message.TryGetProperty("targetId", out var target) && target.GetString() is { } targetId:
                bool known;
                lock (_lock)
                {
                    known = _tabs.ContainsKey(targetId);
                }

                if (known)
                {
                    await FollowAsync(targetId, cancellationToken);
                }

                return;
        }

        if (!ViewerInput.IsInput(type))
        {
            viewer.Send(JsonSerializer.Serialize(new { type = "refused", reason = "unknown_message" }));
            return;
        }

        if (viewer.Mode != LiveViewMode.Interactive)
        {
            // The server's rule, whatever the page does: a view-only link never sends input.
            viewer.Send(JsonSerializer.Serialize(new { type = "refused", reason = "view_only" }));
            return;
        }

        if (ViewerInput.ToCommand(type, message) is not { } command)
        {
            viewer.Send(JsonSerializer.Serialize(new { type = "refused", reason = "invalid_input" }));
            return;
        }

        var session = _tabSession;
        if (session is null)
        {
            return;
        }

        try
        {
            await _cdp.SendAsync(command.Method, command.Params, session, cancellationToken);
        }
        catch (CdpException ex)
        {
            _logger.LogDebug(ex, "Live view of session {SessionId}: input not delivered", SessionId);
        }
    }

    private void OnEvent(CdpEvent e)
    {
        switch (e.Method)
        {
            case "Page.screencastFrame":
                OnFrame(e);
                break;
            case "Target.targetCreated":
                bool isNewPage;
                lock (_lock)
                {
                    isNewPage = Track(e.Params.GetProperty("targetInfo")) && _followNewTabs;
                }

                if (isNewPage)
                {
                    // A new tab is what a person would be looking at now.
                    _ = FollowAsync(e.Params.GetProperty("targetInfo").GetProperty("targetId").GetString(), CancellationToken.None);
                }

                break;
            case "Target.targetInfoChanged":
                string? follow = null;
                lock (_lock)
                {
                    var info = e.Params.GetProperty("targetInfo");
                    if (Track(info) && _tab is { } current && _tabs.TryGetValue(current, out var shown) && shown.Url == "about:blank"
                        && info.GetProperty("targetId").GetString() != current && info.GetProperty("url").GetString() != "about:blank")
                    {
                        follow = info.GetProperty("targetId").GetString();
                    }
                }

                if (follow is not null)
                {
                    _ = FollowAsync(follow, CancellationToken.None);
                }

                Broadcast(TabsMessage());
                break;
            case "Target.targetDestroyed":
                bool wasShown;
                lock (_lock)
                {
                    var gone = e.Params.GetProperty("targetId").GetString()!;
                    _tabs.Remove(gone);
                    _recentTabs.Remove(gone);
                    wasShown = gone == _tab;
                }

                if (wasShown)
                {
                    _ = FollowAsync(null, CancellationToken.None);
                }

                Broadcast(TabsMessage());
                break;
        }
    }

    /// <summary>Records a target; true when it is a page (a tab).</summary>
    private bool Track(JsonElement info)
    {
        if (info.GetProperty("type").GetString() != "page")
        {
            return false;
        }

        var targetId = info.GetProperty("targetId").GetString()!;
        if (!_tabs.ContainsKey(targetId))
        {
            _recentTabs.Add(targetId);
        }

        _tabs[targetId] = (info.GetProperty("url").GetString() ?? "", info.GetProperty("title").GetString() ?? "");
        return true;
    }

    /// <summary>
    /// When every tab is still about:blank, the one whose document holds the most; null otherwise. Chromium's first tab and a
    /// tab the automation filled with <c>page.setContent</c> are both about:blank, and <c>Target.getTargets</c> lists tabs
    /// in no particular order (seen here), so "the newest" cannot be told from it.
    /// </summary>
    private async Task<string?> FullestBlankTabAsync(CancellationToken cancellationToken)
    {
        List<string> blank;
        lock (_lock)
        {
            if (_recentTabs.Count < 2 || _recentTabs.Any(t => _tabs[t].Url != "about:blank"))
            {
                return null;
            }

            blank = [.. _recentTabs];
        }

        string? fullest = null;
        var most = -1L;
        foreach (var targetId in blank)
        {
            try
            {
                var attached = await _cdp.SendAsync("Target.attachToTarget", new { targetId, flatten = true }, cancellationToken: cancellationToken);
                var session = attached.GetProperty("sessionId").GetString()!;
                try
                {
                    // A page busy in a script answers when it is done: it is not waited for.
                    var evaluated = await _cdp.SendAsync("Runtime.evaluate", new
                    {
                        expression = "document.documentElement ? document.documentElement.outerHTML.length : 0",
                        returnByValue = true,
                    }, session, cancellationToken).WaitAsync(BlankTabPatience, cancellationToken);
                    if (evaluated.GetProperty("result").TryGetProperty("value", out var value) && value.TryGetInt64(out var length) && length > most)
                    {
                        (fullest, most) = (targetId, length);
                    }
                }
                finally
                {
                    await Quietly(() => _cdp.SendAsync("Target.detachFromTarget", new { sessionId = session }, cancellationToken: cancellationToken));
                }
            }
            catch (Exception ex) when (ex is CdpException or TimeoutException)
            {
                _logger.LogDebug(ex, "Live view of session {SessionId} could not look into tab {TargetId}", SessionId, targetId);
            }
        }

        return fullest;
    }

    /// <summary>
    /// Shows <paramref name="targetId"/>, or when null the tab most recently opened (preferring one that has left
    /// about:blank): attaches to it, and moves the screencast there.
    /// </summary>
    private async Task FollowAsync(string? targetId, CancellationToken cancellationToken)
    {
        await _switching.WaitAsync(cancellationToken);
        try
        {
            lock (_lock)
            {
                targetId ??= _recentTabs.LastOrDefault(t => _tabs[t].Url != "about:blank") ?? _recentTabs.LastOrDefault();
                if (targetId is null || targetId == _tab || !_tabs.ContainsKey(targetId))
                {
                    return;
                }

                _recentTabs.Remove(targetId);
                _recentTabs.Add(targetId);
            }

            if (_tabSession is { } previous)
            {
                _tabSession = null;
                await Quietly(() => _cdp.SendAsync("Target.detachFromTarget", new { sessionId = previous }, cancellationToken: cancellationToken));
            }

            var attached = await _cdp.SendAsync("Target.attachToTarget", new { targetId, flatten = true }, cancellationToken: cancellationToken);
            var session = attached.GetProperty("sessionId").GetString()!;
            lock (_lock)
            {
                _tab = targetId;
                _heldAck = null;
                _lastFrame = null;
                _pacer.Reset();
            }

            _tabSession = session;
            await StartScreencastAsync(session, cancellationToken);
            Broadcast(TabsMessage());
        }
        catch (CdpException ex)
        {
            _logger.LogDebug(ex, "Live view of session {SessionId} could not follow tab {TargetId}", SessionId, targetId);
        }
        finally
        {
            _switching.Release();
        }
    }

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

    private string TabsMessage()
    {
        lock (_lock)
        {
            return new JsonObject
            {
                ["type"] = "tabs",
                ["current"] = _tab,
                ["tabs"] = new JsonArray(_recentTabs.Select(id => (JsonNode)new JsonObject
                {
                    ["targetId"] = id,
                    ["url"] = _tabs[id].Url,
                    ["title"] = _tabs[id].Title,
                }).ToArray()),
            }.ToJsonString();
        }
    }

    private void Broadcast(string message)
    {
        List<LiveViewer> viewers;
        lock (_lock)
        {
            viewers = [.. _viewers];
        }

        foreach (var viewer in viewers)
        {
            viewer.Send(message);
        }
    }

    private static async Task Quietly(Func<Task> send)
    {
        try
        {
            await send();
        }
        catch (CdpException)
        {
            // The tab or the browser went; the events say so.
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _closed = true;
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await _adaptTimer.DisposeAsync();
        await _closing.CancelAsync();
        await _cdp.DisposeAsync();
        _closing.Dispose();
    }
}
