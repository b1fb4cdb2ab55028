using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Stripe;
using UFBrowsers.Billing;

namespace UFBrowsers.StripeEvents;

/// <summary>
/// Builds the events Stripe sends over a subscription's life, in the shape of Stripe's API version this build
/// reads (<see cref="StripeConfiguration.ApiVersion"/>): the objects carry the fields UFBrowsers reads plus the
/// usual companions, with the metadata a UFBrowsers checkout puts on the subscription and its invoices.
/// </summary>
public static class StripeEventFactory
{
    /// <summary>
    /// The checkout finished. <paramref name="paymentStatus"/> is <c>paid</c> for a card; a delayed payment method (a bank
    /// debit) completes <c>unpaid</c> and is followed by <see cref="CheckoutAsyncPaymentSucceeded"/> or <see cref="CheckoutAsyncPaymentFailed"/>.
    /// </summary>
    public static StripeEventPayload CheckoutCompleted(StripeSubscriber s, DateTimeOffset created, string? eventId = null, string paymentStatus = "paid") =>
        Envelope(StripeEventTypes.CheckoutSessionCompleted, CheckoutSession(s, created, paymentStatus), created, eventId);

    public static StripeEventPayload CheckoutAsyncPaymentSucceeded(StripeSubscriber s, DateTimeOffset created, string? eventId = null) =>
        Envelope(StripeEventTypes.CheckoutSessionAsyncPaymentSucceeded, CheckoutSession(s, created, "paid"), created, eventId);

    public static StripeEventPayload CheckoutAsyncPaymentFailed(StripeSubscriber s, DateTimeOffset created, string? eventId = null) =>
        Envelope(StripeEventTypes.CheckoutSessionAsyncPaymentFailed, CheckoutSession(s, created, "unpaid"), created, eventId);

    private static JsonObject CheckoutSession(StripeSubscriber s, DateTimeOffset created, string paymentStatus)
    {
        var session = new JsonObject
        {
            ["id"] = s.CheckoutSessionId,
            ["object"] = "checkout.session",
            ["mode"] = "subscription",
            ["status"] = "complete",
            ["payment_status"] = paymentStatus,
            ["client_reference_id"] = s.CustomerId,
            ["customer"] = s.StripeCustomerId,
            ["subscription"] = s.SubscriptionId,
            ["invoice"] = s.InvoiceId(1),
            ["currency"] = "usd",
            ["amount_subtotal"] = s.Price.AmountCents,
            ["amount_total"] = s.Price.AmountCents,
            ["created"] = Unix(created) - 60,
            ["expires_at"] = Unix(created) + 86_340,
            ["livemode"] = false,
            ["metadata"] = Metadata(s),
            ["success_url"] = "http://127.0.0.1:8080/billing/success?session_id={CHECKOUT_SESSION_ID}",
            ["cancel_url"] = "http://127.0.0.1:8080/billing/cancelled",
            ["url"] = null,
        };
        return session;
    }

    public static StripeEventPayload InvoicePaid(StripeSubscriber s, int period, DateTimeOffset created, StripePrice? price = null, string? eventId = null) =>
        Envelope(StripeEventTypes.InvoicePaid, Invoice(s, period, created, price ?? s.Price, paid: true), created, eventId);

    /// <summary>
    /// A mid-period invoice Stripe makes when the subscription changes (<c>billing_reason: subscription_update</c>): one
    /// proration line from <paramref name="at"/> to the end of <paramref name="period"/>, for <paramref name="amountCents"/>.
    /// </summary>
    public static StripeEventPayload ProrationInvoicePaid(
        StripeSubscriber s, int period, DateTimeOffset at, StripePrice newPrice, long amountCents, string billingReason = "subscription_update", string? eventId = null)
    {
        var invoice = Invoice(s, period, at, newPrice, paid: true);
        var invoiceId = $"{s.InvoiceId(period)}_{billingReason}_{at.ToUnixTimeSeconds()}";
        invoice["id"] = invoiceId;
        invoice["billing_reason"] = billingReason;
        invoice["amount_due"] = amountCents;
        invoice["amount_paid"] = amountCents;
        invoice["period_start"] = Unix(at);
        var line = invoice["lines"]!["data"]![0]!.AsObject();
        line["id"] = "il_" + invoiceId[3..];
        line["invoice"] = invoiceId;
        line["amount"] = amountCents;
        line["description"] = $"Remaining time on UFBrowsers {newPrice.Plan} after {at:yyyy-MM-dd}";
        line["period"] = new JsonObject { ["start"] = Unix(at), ["end"] = Unix(s.PeriodEnd(period)) };
        line["parent"]!["subscription_item_details"]!["proration"] = true;
        invoice["lines"]!["url"] = $"/v1/invoices/{invoiceId}/lines";
        return Envelope(StripeEventTypes.InvoicePaid, invoice, at, eventId);
    }

    /// <summary>The same event rendered for another Stripe API version, as an endpoint set to that version would receive it.</summary>
    public static StripeEventPayload WithApiVersion(StripeEventPayload payload, string apiVersion)
    {
        var json = JsonNode.Parse(payload.Json)!.AsObject();
        json["api_version"] = apiVersion;
        return payload with { Json = json.ToJsonString() };
    }

    public static StripeEventPayload InvoicePaymentFailed(StripeSubscriber s, int period, DateTimeOffset created, StripePrice? price = null, string? eventId = null) =>
        Envelope(StripeEventTypes.InvoicePaymentFailed, Invoice(s, period, created, price ?? s.Price, paid: false), created, eventId);

    /// <summary>The subscription now has <paramref name="status"/> (Stripe's word: active, past_due, …) at <paramref name="price"/>.</summary>
    public static StripeEventPayload SubscriptionUpdated(
        StripeSubscriber s, string status, int period, DateTimeOffset created, StripePrice? price = null, string? eventId = null) =>
        Envelope(StripeEventTypes.SubscriptionUpdated, Subscription(s, status, period, price ?? s.Price, null), created, eventId);

    public static StripeEventPayload SubscriptionDeleted(StripeSubscriber s, int period, DateTimeOffset created, StripePrice? price = null, string? eventId = null) =>
        Envelope(StripeEventTypes.SubscriptionDeleted, Subscription(s, "canceled", period, price ?? s.Price, created), created, eventId);

    public static string NewEventId() => "evt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    private static JsonObject Invoice(StripeSubscriber s, int period, DateTimeOffset created, StripePrice price, bool paid)
    {
        var invoiceId = s.InvoiceId(period);
        var start = Unix(s.PeriodStart(period));
        var end = Unix(s.PeriodEnd(period));
        return new JsonObject
        {
            ["id"] = invoiceId,
            ["object"] = "invoice",
            ["customer"] = s.StripeCustomerId,
            ["status"] = paid ? "paid" : "open",
            ["billing_reason"] = period == 1 ? "subscription_create" : "subscription_cycle",
            ["collection_method"] = "charge_automatically",
            ["currency"] = "usd",
            ["amount_due"] = price.AmountCents,
            ["amount_paid"] = paid ? price.AmountCents : 0,
            ["amount_remaining"] = paid ? 0 : price.AmountCents,
            ["attempt_count"] = 1,
            ["attempted"] = true,
            ["created"] = Unix(created),
            ["period_start"] = start,
            ["period_end"] = end,
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["parent"] = new JsonObject
            {
                ["type"] = "subscription_details",
                ["quote_details"] = null,
                ["subscription_details"] = new JsonObject
                {
                    ["subscription"] = s.SubscriptionId,
                    ["metadata"] = Metadata(s),
                },
            },
            ["lines"] = new JsonObject
            {
                ["object"] = "list",
                ["has_more"] = false,
                ["total_count"] = 1,
                ["url"] = $"/v1/invoices/{invoiceId}/lines",
                ["data"] = new JsonArray(new JsonObject
                {
                    ["id"] = "il_" + invoiceId[3..],
                    ["object"] = "line_item",
                    ["amount"] = price.AmountCents,
                    ["currency"] = "usd",
                    ["description"] = $"1 × UFBrowsers {price.Plan} (at ${price.AmountCents / 100m:0.00} / month)",
                    ["invoice"] = invoiceId,
                    ["quantity"] = 1,
                    ["subscription"] = s.SubscriptionId,
                    ["period"] = new JsonObject { ["start"] = start, ["end"] = end },
                    ["pricing"] = new JsonObject
                    {
                        ["type"] = "price_details",
                        ["price_details"] = new JsonObject { ["price"] = price.Id, ["product"] = ProductId(price) },
                        ["unit_amount_decimal"] = price.AmountCents.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    },
                    ["parent"] = new JsonObject
                    {
                        ["type"] = "subscription_item_details",
                        ["subscription_item_details"] = new JsonObject
                        {
                            ["subscription"] = s.SubscriptionId,
                            ["subscription_item"] = s.SubscriptionItemId,
                            ["proration"] = false,
                        },
                    },
                    ["metadata"] = new JsonObject(),
                }),
            },
        };
    }

    private static JsonObject Subscription(StripeSubscriber s, string status, int period, StripePrice price, DateTimeOffset? endedAt) => new()
    {
        ["id"] = s.SubscriptionId,
        ["object"] = "subscription",
        ["customer"] = s.StripeCustomerId,
        ["status"] = status,
        ["currency"] = "usd",
        ["collection_method"] = "charge_automatically",
        ["created"] = Unix(s.Anchor),
        ["start_date"] = Unix(s.Anchor),
        ["billing_cycle_anchor"] = Unix(s.Anchor),
        ["cancel_at_period_end"] = false,
        ["canceled_at"] = endedAt is { } canceled ? Unix(canceled) : null,
        ["ended_at"] = endedAt is { } ended ? Unix(ended) : null,
        ["latest_invoice"] = s.InvoiceId(period),
        ["livemode"] = false,
        ["metadata"] = Metadata(s),
        ["items"] = new JsonObject
        {
            ["object"] = "list",
            ["has_more"] = false,
            ["total_count"] = 1,
            ["url"] = $"/v1/subscription_items?subscription={s.SubscriptionId}",
            ["data"] = new JsonArray(new JsonObject
            {
                ["id"] = s.SubscriptionItemId,
                ["object"] = "subscription_item",
                ["created"] = Unix(s.Anchor),
                ["current_period_start"] = Unix(s.PeriodStart(period)),
                ["current_period_end"] = Unix(s.PeriodEnd(period)),
                ["quantity"] = 1,
                ["subscription"] = s.SubscriptionId,
                ["metadata"] = new JsonObject(),
                ["price"] = new JsonObject
                {
                    ["id"] = price.Id,
                    ["object"] = "price",
                    ["active"] = true,
                    ["currency"] = "usd",
                    ["unit_amount"] = price.AmountCents,
                    ["type"] = "recurring",
                    ["recurring"] = new JsonObject { ["interval"] = "month", ["interval_count"] = 1, ["usage_type"] = "licensed" },
                    ["product"] = ProductId(price),
                },
            }),
        },
    };

    private static StripeEventPayload Envelope(string type, JsonObject dataObject, DateTimeOffset created, string? eventId)
    {
        var id = eventId ?? NewEventId();
        var envelope = new JsonObject
        {
            ["id"] = id,
            ["object"] = "event",
            ["api_version"] = StripeConfiguration.ApiVersion,
            ["created"] = Unix(created),
            ["data"] = new JsonObject { ["object"] = dataObject },
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
            ["type"] = type,
        };
        return new StripeEventPayload(id, type, envelope.ToJsonString());
    }

    private static JsonObject Metadata(StripeSubscriber s) => new()
    {
        [StripeMetadataKeys.CustomerId] = s.CustomerId,
        [StripeMetadataKeys.Plan] = s.Price.Plan,
    };

    private static string ProductId(StripePrice price) => "prod_ufb_" + price.Plan;

    private static long Unix(DateTimeOffset at) => at.ToUnixTimeSeconds();
}
