namespace UFBrowsers.Billing;

/// <summary>
/// Metadata UFBrowsers puts on the Stripe objects it creates (checkout sessions and, through them, subscriptions
/// and their invoices), so every later event names the customer even before its Stripe customer id is linked.
/// </summary>
public static class StripeMetadataKeys
{
    public const string CustomerId = "ufb_customer_id";

    public const string Plan = "ufb_plan";
}
