namespace UFBrowsers.Billing;

/// <summary>The Stripe event types UFBrowsers acts on; every other type is acknowledged and ignored.</summary>
public enum StripeEventKind
{
    /// <summary><c>checkout.session.completed</c>: a customer finished paying for a subscription.</summary>
    CheckoutCompleted = 0,
    /// <summary><c>invoice.paid</c>: a billing period was paid.</summary>
    InvoicePaid = 1,
    /// <summary><c>invoice.payment_failed</c>: a renewal could not be charged.</summary>
    InvoicePaymentFailed = 2,
    /// <summary><c>customer.subscription.updated</c>: plan or status changed (upgrade, downgrade, dunning).</summary>
    SubscriptionUpdated = 3,
    /// <summary><c>customer.subscription.deleted</c>: the subscription ended.</summary>
    SubscriptionDeleted = 4,
}
