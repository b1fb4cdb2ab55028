using UFBrowsers.Sessions;

namespace UFBrowsers.Api.Contracts;

public sealed record SessionResponse(
    string Id,
    SessionStatus Status,
    string NodePool,
    string? ConnectUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? EndedAt,
    EndReason? EndReason,
    long DurationMs,
    long CreditsCharged,
    long Balance)
{
    public static SessionResponse From(SessionView s) => new(
        s.Id, s.Status, s.NodePool, s.Status == SessionStatus.Active ? s.ConnectUrl : null, s.CreatedAt, s.ExpiresAt,
        s.EndedAt, s.EndReason, s.DurationMs, s.CreditsCharged, s.Balance);
}
