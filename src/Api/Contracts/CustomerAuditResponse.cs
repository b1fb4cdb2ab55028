namespace UFBrowsers.Api.Contracts;

/// <summary>
/// A customer's money check: <see cref="BalanceInGrain"/> is what the CustomerGrain holds, <see cref="LedgerSum"/>
/// what the stored ledger adds up to; <see cref="Agrees"/> when they (and the newest entry's balance) match.
/// </summary>
public sealed record CustomerAuditResponse(
    string CustomerId,
    long BalanceInGrain,
    long LedgerSum,
    long LedgerEntries,
    long LastEntryBalance,
    int ActiveSessions,
    bool Agrees,
    IReadOnlyList<AuditRecordResponse> RecentActions);

public sealed record AuditRecordResponse(DateTimeOffset At, string ActorType, string? ActorId, string Action, string? Target, string? RequestId, string Outcome);
