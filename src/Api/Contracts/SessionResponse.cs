using UFBrowsers.Api.Gateway;
using UFBrowsers.Sessions;

namespace UFBrowsers.Api.Contracts;

/// <summary>A session. <c>connectUrl</c> (CDP WebSocket) and <c>cdpUrl</c> (HTTP discovery) lead through the gateway and are set while it is active.</summary>
public sealed record SessionResponse(
    string Id,
    SessionStatus Status,
    string NodePool,
    string? ConnectUrl,
    string? CdpUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? EndedAt,
    EndReason? EndReason,
    long DurationMs,
    long CreditsCharged,
    long Balance,
    DateTimeOffset? FirstConnectDeadline,
    int IdleTimeoutSeconds,
    int ConnectedClients)
{
    public static SessionResponse From(SessionView s, SessionUrls? urls) => new(
        s.Id, s.Status, s.NodePool, urls?.ConnectUrl, urls?.CdpUrl, s.CreatedAt, s.ExpiresAt,
        s.EndedAt, s.EndReason, s.DurationMs, s.CreditsCharged, s.Balance, s.FirstConnectDeadline, s.IdleTimeoutSeconds, s.ConnectedClients);
}
