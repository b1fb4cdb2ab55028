using UFBrowsers.Billing;

namespace UFBrowsers.Api.Contracts;

/// <summary>The answer to Stripe: any 2xx tells it to stop delivering the event.</summary>
public sealed record StripeWebhookReceipt(string EventId, StripeEventOutcome Outcome, string Detail);
