using System.Collections.Concurrent;
using UFBrowsers.Sessions;

namespace UFBrowsers.Api.Gateway;

/// <summary>
/// This process's one observer of session ends. Each gateway connection registers with its session grain under this
/// observer's reference (the grain keeps it with the connection) and watches here for its session id; when the grain
/// ends the session it tells the observer at once, before the pod goes, and every watching connection closes with the
/// reason's code. Push, not polling: nothing runs while sessions simply stay up.
/// </summary>
public sealed class SessionEndNotifier(IGrainFactory grains) : ISessionObserver
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, Action<GatewayClose>>> _watchers = new(StringComparer.Ordinal);
    private readonly Lock _referenceLock = new();
    private ISessionObserver? _reference;

    /// <summary>The grain-callable reference; this singleton keeps the object alive for as long as the reference is used.</summary>
    public ISessionObserver Reference
    {
        get
        {
            lock (_referenceLock)
            {
                return _reference ??= grains.CreateObjectReference<ISessionObserver>(this);
            }
        }
    }

    public Watch Watch(string sessionId, string connectionId, Action<GatewayClose> close)
    {
        _watchers.GetOrAdd(sessionId, _ => new ConcurrentDictionary<string, Action<GatewayClose>>(StringComparer.Ordinal))[connectionId] = close;
        return new Watch(() =>
        {
            if (_watchers.TryGetValue(sessionId, out var connections) && connections.TryRemove(connectionId, out _) && connections.IsEmpty)
            {
                _watchers.TryRemove(KeyValuePair.Create(sessionId, connections));
            }
        });
    }

    public Task SessionEnded(string sessionId, EndReason reason)
    {
        if (_watchers.TryGetValue(sessionId, out var connections))
        {
            var close = CloseCodes.For(reason);
            foreach (var notify in connections.Values)
            {
                notify(close);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Registers every connection open in this process with its session again, under <paramref name="gatewayId"/>: after
    /// this process's lease lapsed, its sessions may have dropped them. A session that still has one changes nothing; an
    /// ended session refuses it. Returns how many sessions accepted.
    /// </summary>
    public async Task<int> RegisterAllAsync(string gatewayId)
    {
        var accepted = 0;
        foreach (var (sessionId, connections) in _watchers.ToList())
        {
            foreach (var connectionId in connections.Keys.ToList())
            {
                if ((await grains.For<ISessionGrain>(sessionId).Connect(connectionId, gatewayId, Reference)).Accepted)
                {
                    accepted++;
                }
            }
        }

        return accepted;
    }

    /// <summary>Closes every connection of this process (the host is stopping).</summary>
    public void CloseAll(GatewayClose close)
    {
        foreach (var notify in _watchers.Values.SelectMany(c => c.Values))
        {
            notify(close);
        }
    }
}
