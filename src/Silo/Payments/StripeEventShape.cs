using Stripe;
using UFBrowsers.Billing;
using CheckoutSession = Stripe.Checkout.Session;

namespace UFBrowsers.Silo.Payments;

/// <summary>
/// What every event Stripe sends has and a parser does not insist on: an id, a type and a <c>data.object</c>, and for
/// the types UFBrowsers acts on, an object of the type's kind. An event without them is malformed, not merely unused.
/// </summary>
public static class StripeEventShape
{
    /// <summary>Why the event is malformed, or null.</summary>
    public static string? Problem(Event stripeEvent)
    {
        if (string.IsNullOrWhiteSpace(stripeEvent.Id) || string.IsNullOrWhiteSpace(stripeEvent.Type))
        {
            return "The event has no id or no type.";
        }

        var data = stripeEvent.Data?.Object;
        if (data is null)
        {
            return "The event has no data.object.";
        }

        var (expected, objectName) = stripeEvent.Type switch
        {
            StripeEventTypes.CheckoutSessionCompleted or StripeEventTypes.CheckoutSessionAsyncPaymentSucceeded
                or StripeEventTypes.CheckoutSessionAsyncPaymentFailed => (typeof(CheckoutSession), "checkout.session"),
            StripeEventTypes.InvoicePaid or StripeEventTypes.InvoicePaymentFailed => (typeof(Invoice), "invoice"),
            StripeEventTypes.SubscriptionUpdated or StripeEventTypes.SubscriptionDeleted => (typeof(Subscription), "subscription"),
            _ => (null, null),
        };
        return expected is null || expected.IsInstanceOfType(data)
            ? null
            : $"A '{stripeEvent.Type}' event must carry an object of type '{objectName}' in data.object.";
    }
}
