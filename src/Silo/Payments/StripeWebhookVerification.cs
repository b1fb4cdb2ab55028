using Stripe;

namespace UFBrowsers.Silo.Payments;

/// <summary>
/// A webhook body whose signature checked out (<see cref="Event"/>), or why not: a bad signature, or
/// (<see cref="IsMalformed"/>) a correctly signed body that is not a well-formed event.
/// </summary>
public sealed record StripeWebhookVerification(Event? Event, string? Error, bool IsMalformed = false)
{
    public bool Verified => Event is not null;

    public static StripeWebhookVerification Malformed(string error) => new(null, error, IsMalformed: true);
}
