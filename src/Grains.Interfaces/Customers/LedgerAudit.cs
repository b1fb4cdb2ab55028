namespace UFBrowsers.Customers;

/// <summary>A customer's money check: the balance the grain holds against the ledger as stored.</summary>
[GenerateSerializer, Immutable, Alias("ufb.LedgerAudit")]
public sealed record LedgerAudit(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] long BalanceInGrain,
    [property: Id(2)] long LedgerSum,
    [property: Id(3)] long LedgerEntries,
    [property: Id(4)] long LastEntryBalance,
    [property: Id(5)] int ActiveSessions)
{
    public bool Agrees => BalanceInGrain == LedgerSum && LedgerSum == LastEntryBalance;
}
