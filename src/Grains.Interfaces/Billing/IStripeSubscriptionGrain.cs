using Orleans.Concurrency;

namespace UFBrowsers.Billing;

/// <summary>
/// A customer's side of its Stripe subscription (key: the UFBrowsers customer id): the link to the Stripe
/// customer, the watermarks that keep older events from overwriting newer state, and checkout and portal links.
/// </summary>
[Alias("ufb.IStripeSubscriptionGrain")]
public interface IStripeSubscriptionGrain : IGrainWithStringKey
{
    /// <summary>Applies a verified event to the customer. Idempotent: applying the same event again changes nothing.</summary>
    [Alias("Apply")]
    Task<StripeEventResult> Apply(StripeBillingEvent stripeEvent);

    /// <summary>A Stripe Checkout page that subscribes the customer to <paramref name="plan"/>.</summary>
    [AlwaysInterleave, Alias("StartCheckout")]
    Task<BillingRedirect> StartCheckout(string plan);

    /// <summary>A Stripe customer portal page where the customer manages its subscription.</summary>
    [AlwaysInterleave, Alias("OpenPortal")]
    Task<BillingRedirect> OpenPortal();

    [Alias("GetLink")]
    Task<StripeLink> GetLink();
}
