using UFBrowsers.Sessions;

namespace UFBrowsers.Customers;

/// <summary>A session asking to be settled: why and when it ended, what it owes for the time used, and when it started.</summary>
[GenerateSerializer, Immutable, Alias("ufb.SessionEnd")]
public sealed record SessionEnd(
    [property: Id(0)] EndReason Reason,
    [property: Id(1)] DateTimeOffset EndedAt,
    [property: Id(2)] long CreditsOwed,
    [property: Id(3)] DateTimeOffset StartedAt);
