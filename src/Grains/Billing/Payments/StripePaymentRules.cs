using UFBrowsers.Billing;

namespace UFBrowsers.Grains.Billing.Payments;

/// <summary>
/// When a Stripe event means money was received for a new billing period, and so grants the plan's credits. Only three
/// events can: a checkout paid at once (<c>payment_status: paid</c>); a delayed payment method's success for a checkout
/// (<c>checkout.session.async_payment_succeeded</c>); and a paid invoice that opens a period (<c>billing_reason</c>
/// <c>subscription_create</c> or <c>subscription_cycle</c>) with money in it. A checkout whose payment is still to come,
/// a failed one, a proration or mid-period invoice (<c>subscription_update</c>, <c>manual</c>, …) and a $0 invoice
/// (trial, full discount) grant nothing and never reset the balance.
/// </summary>
public static class StripePaymentRules
{
    public const string Paid = "paid";

    private static readonly HashSet<string> PeriodOpeningReasons = new(StringComparer.Ordinal) { "subscription_create", "subscription_cycle" };

    public static bool PaysForNewPeriod(StripeBillingEvent stripeEvent) => stripeEvent.Kind switch
    {
        StripeEventKind.CheckoutCompleted => stripeEvent.PaymentStatus == Paid,
        StripeEventKind.CheckoutAsyncPaymentSucceeded => true,
        StripeEventKind.InvoicePaid => stripeEvent.BillingReason is { } reason && PeriodOpeningReasons.Contains(reason) && stripeEvent.AmountPaid > 0,
        _ => false,
    };

    /// <summary>Why an event that could have granted did not, for the answer to Stripe; null if it grants or could never.</summary>
    public static string? WhyNoCredits(StripeBillingEvent stripeEvent) => stripeEvent.Kind switch
    {
        StripeEventKind.CheckoutCompleted when stripeEvent.PaymentStatus != Paid =>
            $"Checkout completed with payment_status '{stripeEvent.PaymentStatus}': no money yet, no credits.",
        StripeEventKind.CheckoutAsyncPaymentFailed => "The checkout's delayed payment failed: no credits.",
        StripeEventKind.InvoicePaid when stripeEvent.BillingReason is not { } reason || !PeriodOpeningReasons.Contains(reason) =>
            $"Invoice paid for billing_reason '{stripeEvent.BillingReason}' (not a new period): the balance is left as it is.",
        StripeEventKind.InvoicePaid when stripeEvent.AmountPaid is not > 0 => "Invoice paid with no money in it: no credits.",
        _ => null,
    };
}
