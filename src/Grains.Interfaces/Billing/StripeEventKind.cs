namespace UFBrowsers.Billing;

/// <summary>The Stripe event types UFBrowsers acts on; every other type is acknowledged and ignored.</summary>
public enum StripeEventKind
{
    /// <summary><c>checkout.session.completed</c>: a customer finished a subscription checkout (paid, or with a payment still to come).</summary>
    CheckoutCompleted = 0,
    /// <summary><c>invoice.paid</c>: a billing period was paid.</summary>
    InvoicePaid = 1,
    /// <summary><c>invoice.payment_failed</c>: a renewal could not be charged.</summary>
    InvoicePaymentFailed = 2,
    /// <summary><c>customer.subscription.updated</c>: plan or status changed (upgrade, downgrade, dunning).</summary>
    SubscriptionUpdated = 3,
    /// <summary><c>customer.subscription.deleted</c>: the subscription ended.</summary>
    SubscriptionDeleted = 4,
    /// <summary><c>checkout.session.async_payment_succeeded</c>: a delayed payment method (bank debit) paid for the checkout.</summary>
    CheckoutAsyncPaymentSucceeded = 5,
    /// <summary><c>checkout.session.async_payment_failed</c>: a delayed payment method did not pay for the checkout.</summary>
    CheckoutAsyncPaymentFailed = 6,
}
