namespace UFBrowsers.Customers;

/// <summary>The credits a session's settlement actually moved (negative for a refund) and the balance after.</summary>
[GenerateSerializer, Immutable, Alias("ufb.SessionSettlement")]
public sealed record SessionSettlement(
    [property: Id(0)] long Moved,
    [property: Id(1)] long Balance);
