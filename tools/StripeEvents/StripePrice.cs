namespace UFBrowsers.StripeEvents;

/// <summary>A recurring monthly Stripe price and the UFBrowsers plan it is configured for.</summary>
public sealed record StripePrice(string Id, string Plan, long AmountCents);
