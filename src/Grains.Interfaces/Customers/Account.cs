namespace UFBrowsers.Customers;

/// <summary>What a customer (or an operator) sees of an account.</summary>
[GenerateSerializer, Immutable, Alias("ufb.Account")]
public sealed record Account(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string Name,
    [property: Id(2)] Plan Plan,
    [property: Id(3)] SubscriptionStatus Status,
    [property: Id(4)] long Balance,
    [property: Id(5)] int SessionsInUse,
    [property: Id(6)] string TenantNamespace,
    [property: Id(7)] bool TenantProvisioned,
    [property: Id(8)] DateTimeOffset CreatedAt);
