namespace UFBrowsers.Billing;

/// <summary>The Stripe objects a customer is linked to, null until a checkout or event links them.</summary>
[GenerateSerializer, Immutable, Alias("ufb.StripeLink")]
public sealed record StripeLink(
    [property: Id(0)] string? StripeCustomerId,
    [property: Id(1)] string? SubscriptionId);
