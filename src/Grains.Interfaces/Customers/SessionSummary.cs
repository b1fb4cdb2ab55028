using UFBrowsers.Sessions;

namespace UFBrowsers.Customers;

/// <summary>A customer's index entry for one session, enough to list sessions without waking each one.</summary>
[GenerateSerializer, Immutable, Alias("ufb.SessionSummary")]
public sealed record SessionSummary(
    [property: Id(0)] string SessionId,
    [property: Id(1)] SessionStatus Status,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] long Sequence,
    [property: Id(4)] long CreditsCharged);
