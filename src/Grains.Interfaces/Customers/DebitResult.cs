namespace UFBrowsers.Customers;

/// <summary>
/// Whether a session's minute could be paid, and the balance after. <see cref="SessionOpen"/> is false when the customer
/// holds no such session any more (settled or cancelled): the session must read its record back rather than end again.
/// </summary>
[GenerateSerializer, Immutable, Alias("ufb.DebitResult")]
public sealed record DebitResult(
    [property: Id(0)] bool Paid,
    [property: Id(1)] long Balance,
    [property: Id(2)] bool SessionOpen = true);
