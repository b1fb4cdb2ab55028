using System.Net.WebSockets;
using System.Text.Json;
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
internal sealed partial class LiveViewSession : IAsyncDisposable
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
