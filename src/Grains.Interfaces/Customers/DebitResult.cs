namespace UFBrowsers.Customers;

/// <summary>Whether a session's minute could be paid, and the balance after.</summary>
[GenerateSerializer, Immutable, Alias("ufb.DebitResult")]
public sealed record DebitResult(
    [property: Id(0)] bool Paid,
    [property: Id(1)] long Balance);
