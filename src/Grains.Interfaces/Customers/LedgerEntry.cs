namespace UFBrowsers.Customers;

/// <summary>One change of a customer's balance. The balance is always the sum of these amounts.</summary>
[GenerateSerializer, Immutable, Alias("ufb.LedgerEntry")]
public sealed record LedgerEntry(
    [property: Id(0)] long Id,
    [property: Id(1)] LedgerEntryKind Kind,
    [property: Id(2)] long Amount,
    [property: Id(3)] long BalanceAfter,
    [property: Id(4)] string? SessionId,
    [property: Id(5)] string Reason,
    [property: Id(6)] DateTimeOffset At,
    [property: Id(7)] string IdempotencyKey);
