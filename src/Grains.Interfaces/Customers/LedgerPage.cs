namespace UFBrowsers.Customers;

/// <summary>Ledger entries newest first; <see cref="NextBefore"/> is the cursor for the next page.</summary>
[GenerateSerializer, Immutable, Alias("ufb.LedgerPage")]
public sealed record LedgerPage(
    [property: Id(0)] IReadOnlyList<LedgerEntry> Entries,
    [property: Id(1)] long? NextBefore);
