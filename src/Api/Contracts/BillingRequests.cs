using System.ComponentModel.DataAnnotations;
using UFBrowsers.Api.Contracts.Validation;

namespace UFBrowsers.Api.Contracts;

public sealed record CheckoutRequest([property: Required, StringLength(200), PlainText] string? Plan);

/// <summary>A Stripe-hosted page to send the customer's browser to.</summary>
public sealed record BillingRedirectResponse(string Url);
