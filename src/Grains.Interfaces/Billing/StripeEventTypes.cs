namespace UFBrowsers.Billing;

/// <summary>The Stripe event type names of each <see cref="StripeEventKind"/>.</summary>
public static class StripeEventTypes
{
    public const string CheckoutSessionCompleted = "checkout.session.completed";
    public const string CheckoutSessionAsyncPaymentSucceeded = "checkout.session.async_payment_succeeded";
    public const string CheckoutSessionAsyncPaymentFailed = "checkout.session.async_payment_failed";
    public const string InvoicePaid = "invoice.paid";
    public const string InvoicePaymentFailed = "invoice.payment_failed";
    public const string SubscriptionUpdated = "customer.subscription.updated";
    public const string SubscriptionDeleted = "customer.subscription.deleted";

    public static string Of(StripeEventKind kind) => kind switch
    {
        StripeEventKind.CheckoutCompleted => CheckoutSessionCompleted,
        StripeEventKind.InvoicePaid => InvoicePaid,
        StripeEventKind.InvoicePaymentFailed => InvoicePaymentFailed,
        StripeEventKind.SubscriptionUpdated => SubscriptionUpdated,
        StripeEventKind.SubscriptionDeleted => SubscriptionDeleted,
        StripeEventKind.CheckoutAsyncPaymentSucceeded => CheckoutSessionAsyncPaymentSucceeded,
        StripeEventKind.CheckoutAsyncPaymentFailed => CheckoutSessionAsyncPaymentFailed,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
