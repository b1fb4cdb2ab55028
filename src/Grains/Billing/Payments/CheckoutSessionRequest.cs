namespace UFBrowsers.Grains.Billing.Payments;

/// <summary>
/// A subscription checkout for <paramref name="CustomerId"/> (sent as client_reference_id and metadata) at
/// <paramref name="PriceId"/>; <paramref name="StripeCustomerId"/> reuses the customer's Stripe customer if it has one.
/// </summary>
public sealed record CheckoutSessionRequest(string CustomerId, string Plan, string PriceId, string? StripeCustomerId);
