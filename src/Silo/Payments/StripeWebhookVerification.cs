using Stripe;

namespace UFBrowsers.Silo.Payments;

/// <summary>A webhook body whose signature checked out (<see cref="Event"/>), or why it did not.</summary>
public sealed record StripeWebhookVerification(Event? Event, string? Error)
{
    public bool Verified => Event is not null;
}
