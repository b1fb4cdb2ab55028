namespace UFBrowsers.Sessions;

/// <summary>
/// One thing that happened to a session. <see cref="Clients"/> is the number of connected clients after it;
/// an <see cref="SessionEventType.Ended"/> event carries the reason, the billable time and the credits charged.
/// </summary>
[GenerateSerializer, Immutable, Alias("ufb.SessionEvent")]
public sealed record SessionEvent(
    [property: Id(0)] SessionEventType Type,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string? ConnectionId = null,
    [property: Id(3)] int Clients = 0,
    [property: Id(4)] EndReason? EndReason = null,
    [property: Id(5)] long? BillableSeconds = null,
    [property: Id(6)] long? CreditsCharged = null);
