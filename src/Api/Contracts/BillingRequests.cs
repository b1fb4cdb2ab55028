namespace UFBrowsers.Api.Contracts;

public sealed record CheckoutRequest(string? Plan);

/// <summary>A Stripe-hosted page to send the customer's browser to.</summary>
public sealed record BillingRedirectResponse(string Url);
