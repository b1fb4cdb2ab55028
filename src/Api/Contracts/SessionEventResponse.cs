using UFBrowsers.Sessions;

namespace UFBrowsers.Api.Contracts;

public sealed record SessionEventResponse(
    SessionEventType Type,
    DateTimeOffset At,
    string? ConnectionId,
    int Clients,
    EndReason? EndReason,
    long? BillableSeconds,
    long? CreditsCharged)
{
    public static SessionEventResponse From(SessionEvent e) =>
        new(e.Type, e.At, e.ConnectionId, e.Clients, e.EndReason, e.BillableSeconds, e.CreditsCharged);
}
