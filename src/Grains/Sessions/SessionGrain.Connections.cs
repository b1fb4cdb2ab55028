using Microsoft.Extensions.Logging;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Sessions;

/// <summary>Clients' connections through the gateways, and the idle clock they stop.</summary>
public sealed partial class SessionGrain
{
    public async Task<SessionConnection> Connect(string connectionId, string gatewayId, ISessionObserver observer)
    {
        if (S.Status != SessionStatus.Active)
        {
            return new SessionConnection(S.Status, S.EndReason, null);
        }

        (_observers ??= new Dictionary<string, ISessionObserver>(StringComparer.Ordinal))[connectionId] = observer;
        if (!S.Connections.Exists(c => c.ConnectionId == connectionId))
        {
            var now = clock.GetUtcNow();
            S.Connections.Add(new GatewayConnection(connectionId, gatewayId, now));
            S.FirstConnectDeadline = null;
            S.IdleSince = null;
            Record(new SessionEvent(SessionEventType.Connected, now, connectionId, S.Connections.Count));
            await WriteState();
            ScheduleMeter();
        }

        return new SessionConnection(SessionStatus.Active, null, S.Pod);
    }

    public async Task Disconnect(string connectionId)
    {
        _observers?.Remove(connectionId);
        if (S.Status != SessionStatus.Active || S.Connections.RemoveAll(c => c.ConnectionId == connectionId) == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        if (S.Connections.Count == 0)
        {
            S.IdleSince = now;
        }

        Record(new SessionEvent(SessionEventType.Disconnected, now, connectionId, S.Connections.Count));
        await WriteState();
        ScheduleMeter();
    }

    /// <summary>
    /// Drops the connections of gateway processes whose lease ran out: that process is gone and its clients with it. When
    /// the last connection goes, the idle clock starts from the last moment the gateway was heard from.
    /// </summary>
    private async Task<bool> DropConnectionsOfDeadGateways(DateTimeOffset now)
    {
        if (S.Connections.Count == 0)
        {
            return false;
        }

        var expired = await (_gateways ??= new GatewayLeases(GrainFactory, logger)).ExpiredAsync(S.Connections.Select(c => c.GatewayId), now);
        foreach (var (gatewayId, lease) in expired)
        {
            foreach (var connection in S.Connections.Where(c => c.GatewayId == gatewayId).ToList())
            {
                var lastSeen = Min(Max(connection.ConnectedAt, lease.LastRenewedAt ?? connection.ConnectedAt), now);
                S.Connections.Remove(connection);
                _observers?.Remove(connection.ConnectionId);
                if (S.Connections.Count == 0)
                {
                    S.IdleSince = lastSeen;
                }

                Record(new SessionEvent(SessionEventType.Disconnected, lastSeen, connection.ConnectionId, S.Connections.Count));
            }

            logger.LogWarning("Session {SessionId}: gateway {GatewayId} stopped renewing its lease; its connections are gone", SessionId, gatewayId);
        }

        return expired.Count > 0;
    }
}
