using UFBrowsers.Billing;
using UFBrowsers.Customers;

namespace UFBrowsers.Grains.Billing.Payments;

/// <summary>What each event says the subscription status is now.</summary>
public static class StripeSubscriptionStatuses
{
    public static SubscriptionStatus? After(StripeBillingEvent stripeEvent) => stripeEvent.Kind switch
    {
        // A checkout whose payment is still on its way (a bank debit) activates nothing until the money arrives.
        StripeEventKind.CheckoutCompleted => stripeEvent.PaymentStatus is StripePaymentRules.Paid or "no_payment_required" ? SubscriptionStatus.Active : null,
        StripeEventKind.CheckoutAsyncPaymentSucceeded or StripeEventKind.InvoicePaid => SubscriptionStatus.Active,
        StripeEventKind.InvoicePaymentFailed => SubscriptionStatus.PastDue,
        StripeEventKind.SubscriptionDeleted => SubscriptionStatus.Cancelled,
        StripeEventKind.SubscriptionUpdated => FromStripe(stripeEvent.SubscriptionStatus),
        _ => null,
    };

    /// <summary>
    /// Stripe's subscription statuses: active and trialing may start sessions; the dunning and unfinished states
    /// refuse new sessions but let running ones finish; canceled and incomplete_expired are the end.
    /// </summary>
    public static SubscriptionStatus? FromStripe(string? status) => status switch
    {
        "active" or "trialing" => SubscriptionStatus.Active,
        "past_due" or "unpaid" or "incomplete" or "paused" => SubscriptionStatus.PastDue,
        "canceled" or "incomplete_expired" => SubscriptionStatus.Cancelled,
        _ => null,
    };
}
