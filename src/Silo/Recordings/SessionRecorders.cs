using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains;
using UFBrowsers.Grains.Recordings;
using UFBrowsers.Grains.Sessions;

namespace UFBrowsers.Silo.Recordings;

/// <summary>
/// The recorders running in this silo, one per recorded session, each with its own CDP connection. A recorder lives
/// from its session's start until the session ends here or its browser goes, whichever comes first.
/// </summary>
public sealed class SessionRecorders(
    IRecordingStore store,
    IOptions<RecordingOptions> options,
    [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock,
    ILogger<SessionRecorders> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, SessionRecorder> _recorders = new(StringComparer.Ordinal);

    /// <summary>How many sessions this silo records now.</summary>
    public int Count => _recorders.Count;

    /// <summary>Whether this silo records the session now.</summary>
    public bool IsRecording(string sessionId) => _recorders.ContainsKey(sessionId);

    /// <summary>Opens the session's recording and starts recording its browser.</summary>
    public async Task StartAsync(SessionBrowser browser, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await store.BeginAsync(new RecordingStart(browser.SessionId, browser.Request.CustomerId, now, now + options.Value.Retention), cancellationToken);
        var recorder = await SessionRecorder.StartAsync(browser.SessionId, browser.Pod, store, options.Value, clock, logger, cancellationToken);
        if (_recorders.TryAdd(browser.SessionId, recorder))
        {
            _ = recorder.Completion.ContinueWith(_ => _recorders.TryRemove(KeyValuePair.Create(browser.SessionId, recorder)), TaskScheduler.Default);
        }
        else
        {
            await recorder.DisposeAsync();
        }
    }

    /// <summary>
    /// Stores the session's last events and marks its recording complete. A session whose recorder is not in this silo
    /// (its grain moved after a silo died, with the recorder) has its recording marked complete with what was stored.
    /// </summary>
    public async Task StopAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (_recorders.TryRemove(sessionId, out var recorder))
        {
            await recorder.StopAsync(cancellationToken);
            return;
        }

        await store.FinishAsync(sessionId, clock.GetUtcNow(), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_recorders.Values.Select(r => r.DisposeAsync().AsTask()));
        _recorders.Clear();
    }
}
