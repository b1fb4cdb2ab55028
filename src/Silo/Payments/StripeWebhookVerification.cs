using Stripe;

namespace UFBrowsers.Silo.Payments;

/// <summary>A webhook body whose signature checked out and that this build can read (<see cref="Event"/>), or why not.</summary>
public sealed record StripeWebhookVerification(Event? Event, StripeWebhookRefusal? Refusal, string? Error)
{
    public bool Verified => Event is not null;

    public static StripeWebhookVerification Accepted(Event stripeEvent) => new(stripeEvent, null, null);

    public static StripeWebhookVerification Refused(StripeWebhookRefusal refusal, string error) => new(null, refusal, error);
}

public enum StripeWebhookRefusal
{
    /// <summary>Missing, wrong or stale signature.</summary>
    InvalidSignature = 0,
    /// <summary>
    /// Validly signed, but rendered for an API version this build does not read: the webhook endpoint's API version must be
    /// set to <see cref="StripeConfiguration.ApiVersion"/>. Permanent until an operator changes it.
    /// </summary>
    ApiVersionMismatch = 1,
    /// <summary>Validly signed, but not a well-formed event (not JSON, wrong value types, no id, type or <c>data.object</c>).</summary>
    Malformed = 2,
}
