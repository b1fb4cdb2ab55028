namespace UFBrowsers.Customers;

/// <summary>The credits a customer's sessions cost on one UTC day (holds and charges less refunds).</summary>
[GenerateSerializer, Immutable, Alias("ufb.DailyUsage")]
public sealed record DailyUsage(
    [property: Id(0)] DateOnly Day,
    [property: Id(1)] long Credits);
