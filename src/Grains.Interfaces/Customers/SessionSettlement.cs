using UFBrowsers.Sessions;

namespace UFBrowsers.Customers;

/// <summary>
/// How a session's settlement was recorded: what it was charged in total, the balance after, and the end as written to
/// the ledger. The reason and end time differ from what the session asked for when the balance could not pay every
/// minute used (then <c>balance_exhausted</c>, at the end of the last minute paid), or when it had been settled before.
/// </summary>
[GenerateSerializer, Immutable, Alias("ufb.SessionSettlement")]
public sealed record SessionSettlement(
    [property: Id(0)] long Charged,
    [property: Id(1)] long Balance,
    [property: Id(2)] EndReason Reason,
    [property: Id(3)] DateTimeOffset EndedAt);
