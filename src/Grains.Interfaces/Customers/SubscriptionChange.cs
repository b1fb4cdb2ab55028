namespace UFBrowsers.Customers;

/// <summary>An operator's (later Stripe's) change of plan, status or tenant; null fields stay as they are.</summary>
[GenerateSerializer, Immutable, Alias("ufb.SubscriptionChange")]
public sealed record SubscriptionChange(
    [property: Id(0)] string? Plan = null,
    [property: Id(1)] SubscriptionStatus? Status = null,
    [property: Id(2)] bool? TenantProvisioned = null);
