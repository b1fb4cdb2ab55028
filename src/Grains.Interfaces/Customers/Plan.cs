namespace UFBrowsers.Customers;

/// <summary>A plan as configured: what it costs, what it grants and what it allows.</summary>
[GenerateSerializer, Immutable, Alias("ufb.Plan")]
public sealed record Plan(
    [property: Id(0)] string Name,
    [property: Id(1)] long MonthlyPriceCents,
    [property: Id(2)] long CreditsPerPeriod,
    [property: Id(3)] int ConcurrencyLimit,
    [property: Id(4)] int MaxSessionMinutes);
