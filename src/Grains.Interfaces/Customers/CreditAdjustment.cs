namespace UFBrowsers.Customers;

/// <summary>The outcome of an operator's credit adjustment: the entry written, or why nothing was.</summary>
[GenerateSerializer, Immutable, Alias("ufb.CreditAdjustment")]
public sealed record CreditAdjustment(
    [property: Id(0)] LedgerEntry? Entry,
    [property: Id(1)] string? Error,
    [property: Id(2)] bool AmountTooLarge = false)
{
    public bool Applied => Entry is not null;
}
