using Stripe;
using UFBrowsers.Billing;
using CheckoutSession = Stripe.Checkout.Session;

namespace UFBrowsers.Silo.Payments;

/// <summary>Reads what the billing rules need out of a verified Stripe event; null for events UFBrowsers does not act on.</summary>
public static class StripeEventTranslator
{
    public static StripeBillingEvent? Translate(Event stripeEvent) => (stripeEvent.Type, stripeEvent.Data?.Object) switch
    {
        (StripeEventTypes.CheckoutSessionCompleted, CheckoutSession { Mode: "subscription" } session) => FromCheckout(stripeEvent, StripeEventKind.CheckoutCompleted, session),
        (StripeEventTypes.CheckoutSessionAsyncPaymentSucceeded, CheckoutSession { Mode: "subscription" } session) => FromCheckout(stripeEvent, StripeEventKind.CheckoutAsyncPaymentSucceeded, session),
        (StripeEventTypes.CheckoutSessionAsyncPaymentFailed, CheckoutSession { Mode: "subscription" } session) => FromCheckout(stripeEvent, StripeEventKind.CheckoutAsyncPaymentFailed, session),
        (StripeEventTypes.InvoicePaid, Invoice invoice) => FromInvoice(stripeEvent, StripeEventKind.InvoicePaid, invoice),
        (StripeEventTypes.InvoicePaymentFailed, Invoice invoice) => FromInvoice(stripeEvent, StripeEventKind.InvoicePaymentFailed, invoice),
        (StripeEventTypes.SubscriptionUpdated, Subscription subscription) => FromSubscription(stripeEvent, StripeEventKind.SubscriptionUpdated, subscription),
        (StripeEventTypes.SubscriptionDeleted, Subscription subscription) => FromSubscription(stripeEvent, StripeEventKind.SubscriptionDeleted, subscription),
        _ => null,
    };

    private static StripeBillingEvent FromCheckout(Event e, StripeEventKind kind, CheckoutSession session) => new(
        e.Id, kind, Utc(e.Created),
        CustomerId: session.ClientReferenceId ?? Metadata(session.Metadata, StripeMetadataKeys.CustomerId),
        StripeCustomerId: session.CustomerId,
        SubscriptionId: session.SubscriptionId,
        InvoiceId: session.InvoiceId,
        PriceId: null,
        PlanName: Metadata(session.Metadata, StripeMetadataKeys.Plan),
        SubscriptionStatus: null,
        PeriodStart: null,
        PaymentStatus: session.PaymentStatus);

    /// <summary>Only subscription invoices count; a one-off invoice has no subscription and is ignored.</summary>
    private static StripeBillingEvent? FromInvoice(Event e, StripeEventKind kind, Invoice invoice)
    {
        var line = invoice.Lines?.Data?.FirstOrDefault();
        var details = invoice.Parent?.SubscriptionDetails;
        var subscriptionId = details?.SubscriptionId ?? line?.SubscriptionId;
        if (subscriptionId is null)
        {
            return null;
        }

        return new StripeBillingEvent(
            e.Id, kind, Utc(e.Created),
            CustomerId: Metadata(details?.Metadata, StripeMetadataKeys.CustomerId) ?? Metadata(invoice.Metadata, StripeMetadataKeys.CustomerId),
            StripeCustomerId: invoice.CustomerId,
            SubscriptionId: subscriptionId,
            InvoiceId: invoice.Id,
            PriceId: line?.Pricing?.PriceDetails?.PriceId,
            PlanName: Metadata(details?.Metadata, StripeMetadataKeys.Plan),
            SubscriptionStatus: null,
            PeriodStart: line?.Period is { } period ? Utc(period.Start) : Utc(invoice.PeriodStart),
            BillingReason: invoice.BillingReason,
            AmountPaid: invoice.AmountPaid);
    }

    private static StripeBillingEvent FromSubscription(Event e, StripeEventKind kind, Subscription subscription)
    {
        var item = subscription.Items?.Data?.FirstOrDefault();
        return new StripeBillingEvent(
            e.Id, kind, Utc(e.Created),
            CustomerId: Metadata(subscription.Metadata, StripeMetadataKeys.CustomerId),
            StripeCustomerId: subscription.CustomerId,
            SubscriptionId: subscription.Id,
            InvoiceId: null,
            PriceId: item?.Price?.Id,
            PlanName: Metadata(subscription.Metadata, StripeMetadataKeys.Plan),
            SubscriptionStatus: subscription.Status,
            PeriodStart: item is null ? null : Utc(item.CurrentPeriodStart));
    }

    private static string? Metadata(Dictionary<string, string>? metadata, string key) =>
        metadata is not null && metadata.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
