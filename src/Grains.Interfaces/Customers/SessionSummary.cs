using UFBrowsers.Sessions;

namespace UFBrowsers.Customers;

/// <summary>
/// A customer's record of one session, kept with the ledger: enough to list sessions without waking each one, and, once
/// ended, how it ended. It changes in the same statement as the entry that opens, settles or cancels the session, so it is
/// what a session grain that lost its own state reads back.
/// </summary>
[GenerateSerializer, Immutable, Alias("ufb.SessionSummary")]
public sealed record SessionSummary(
    [property: Id(0)] string SessionId,
    [property: Id(1)] SessionStatus Status,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] long Sequence,
    [property: Id(4)] long CreditsCharged,
    [property: Id(5)] DateTimeOffset? EndedAt = null,
    [property: Id(6)] EndReason? EndReason = null);
