namespace UFBrowsers.Billing;

/// <summary>Which UFBrowsers customer a Stripe customer is (key: the Stripe customer id, <c>cus_…</c>).</summary>
[Alias("ufb.IStripeCustomerIndexGrain")]
public interface IStripeCustomerIndexGrain : IGrainWithStringKey
{
    [Alias("GetCustomerId")]
    Task<string?> GetCustomerId();

    /// <summary>Links this Stripe customer to <paramref name="customerId"/> unless it is linked already; returns the linked id.</summary>
    [Alias("Link")]
    Task<string> Link(string customerId);
}
