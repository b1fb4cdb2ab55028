using System.Security.Cryptography;
using System.Text;

namespace UFBrowsers.StripeEvents;

/// <summary>
/// One UFBrowsers customer as Stripe would know it. Stripe's ids (customer, subscription, invoices) are derived
/// from the customer id, so sending the same events again names the same objects, as Stripe's redeliveries do.
/// Billing period n runs from <see cref="Anchor"/> plus n-1 months to plus n months.
/// </summary>
public sealed record StripeSubscriber(string CustomerId, StripePrice Price, DateTimeOffset Anchor)
{
    public string StripeCustomerId => StableId("cus", CustomerId);

    public string SubscriptionId => StableId("sub", CustomerId);

    public string SubscriptionItemId => StableId("si", CustomerId);

    public string CheckoutSessionId => StableId("cs_test", CustomerId);

    public string InvoiceId(int period) => StableId("in", $"{CustomerId}/{period}");

    public DateTimeOffset PeriodStart(int period) => Anchor.AddMonths(period - 1);

    public DateTimeOffset PeriodEnd(int period) => Anchor.AddMonths(period);

    /// <summary>Anchored at the start of the current UTC month, so one month's runs agree on every period.</summary>
    public static StripeSubscriber ThisMonth(string customerId, StripePrice price, DateTimeOffset now) =>
        new(customerId, price, new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero));

    private static string StableId(string prefix, string seed) =>
        $"{prefix}_{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prefix + "/" + seed)))[..24]}";
}
