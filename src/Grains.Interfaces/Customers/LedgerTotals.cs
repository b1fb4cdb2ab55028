namespace UFBrowsers.Customers;

[GenerateSerializer, Immutable, Alias("ufb.LedgerTotals")]
public sealed record LedgerTotals(
    [property: Id(0)] long Entries,
    [property: Id(1)] long Sum);
