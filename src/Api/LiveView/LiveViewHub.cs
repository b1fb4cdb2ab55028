using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using UFBrowsers.Pods;
using UFBrowsers.Sessions;

namespace UFBrowsers.Api.LiveView;

/// <summary>
/// This API process's live views: one per session that someone watches here, opened when its first viewer comes and
/// closed when its last leaves (the screencast runs only while someone watches), or when the session's browser goes,
/// which closes its viewers.
/// </summary>
internal sealed class LiveViewHub(IGrainFactory grains, IOptions<LiveViewOptions> options, ILogger<LiveViewHub> logger) : IAsyncDisposable
{
    /// <summary>Close code for viewers of a session that ended.</summary>
    public const WebSocketCloseStatus SessionEnded = (WebSocketCloseStatus)4100;

    private readonly ConcurrentDictionary<string, LiveViewSession> _views = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Sessions watched from this process now.</summary>
    public int Count => _views.Count;

    /// <summary>Adds the viewer to the session's view, opening the view if it is the first; null when the view is full.</summary>
    public async Task<LiveViewSession?> JoinAsync(string sessionId, PodLease pod, LiveViewer viewer, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                if (!_views.TryGetValue(sessionId, out var view))
                {
                    view = await LiveViewSession.StartAsync(sessionId, pod, options.Value, logger, cancellationToken);
                    _views[sessionId] = view;
                    _ = view.BrowserGone.ContinueWith(_ => BrowserWentAsync(view), TaskScheduler.Default).Unwrap();
                }

                if (view.TryAdd(viewer))
                {
                    return view;
                }

                if (view.ViewerCount >= options.Value.MaxViewersPerSession)
                {
                    return null;
                }

                // Closing as its last viewer left: open a new one.
                _views.TryRemove(KeyValuePair.Create(sessionId, view));
            }

            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task LeaveAsync(LiveViewSession view, LiveViewer viewer)
    {
        if (view.Remove(viewer) > 0)
        {
            return;
        }

        await _gate.WaitAsync();
        try
        {
            _views.TryRemove(KeyValuePair.Create(view.SessionId, view));
        }
        finally
        {
            _gate.Release();
        }

        await view.DisposeAsync();
    }

    private async Task BrowserWentAsync(LiveViewSession view)
    {
        _views.TryRemove(KeyValuePair.Create(view.SessionId, view));
        var reason = "session_ended";
        try
        {
            if (await grains.For<ISessionGrain>(view.SessionId).Get() is { Status: SessionStatus.Ended, EndReason: { } ended })
            {
                reason = "session_ended:" + System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(ended.ToString());
            }
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Live view could not ask session {SessionId} why its browser went", view.SessionId);
        }

        view.CloseViewers(SessionEnded, reason);
        await view.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var view in _views.Values)
        {
            view.CloseViewers(WebSocketCloseStatus.EndpointUnavailable, "server_shutting_down");
            await view.DisposeAsync();
        }

        _views.Clear();
    }
}
