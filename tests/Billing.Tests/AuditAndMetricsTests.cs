using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using UFBrowsers.Billing.Tests.Infrastructure;
using UFBrowsers.Grains.Audit;
using UFBrowsers.Grains.Telemetry;
using UFBrowsers.StripeEvents;

namespace UFBrowsers.Billing.Tests;

/// <summary>Stripe's deliveries and the customer's billing requests are in the audit log; deliveries are counted.</summary>
[Collection(BillingCollection.Name)]
public sealed class AuditAndMetricsTests(BillingFixture fixture)
{
    private static readonly DateTimeOffset Anchor = new(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_webhook_delivery_is_audited_with_actor_stripe_and_the_event_as_target()
    {
        var customer = await fixture.NewCustomer();
        var checkout = StripeEventFactory.CheckoutCompleted(customer.Subscriber(BillingFixture.Small, Anchor), Anchor);

        await fixture.Webhooks().Deliver(checkout);
        await fixture.Webhooks().Deliver(checkout);

        var records = (await Audit(customer.Id)).Where(r => r.Action == "StripeWebhook").ToList();
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal(("stripe", checkout.Id, "200"), (r.ActorType, r.Target, r.Outcome)));
    }

    [Fact]
    public async Task Checkout_and_portal_requests_are_audited_as_the_customers()
    {
        var customer = await fixture.NewCustomer();

        await customer.Client.PostAsJsonAsync("/v1/billing/checkout", new { plan = "small" });
        await customer.Client.PostAsync("/v1/billing/portal", null);

        var records = await Audit(customer.Id);
        Assert.Contains(records, r => (r.Action, r.ActorType, r.Outcome) == ("StartCheckout", "api_key", "200"));
        Assert.Contains(records, r => (r.Action, r.ActorType, r.Outcome) == ("OpenBillingPortal", "api_key", "409"));
    }

    [Fact]
    public async Task Webhook_deliveries_are_counted_by_type_and_outcome()
    {
        var counted = new List<(string Type, string Outcome)>();
        var factory = fixture.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == "ufbrowsers.webhook.events")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var t = tags.ToArray().ToDictionary(k => k.Key, k => k.Value?.ToString());
            lock (counted)
            {
                counted.Add((t[UFBrowsersMetrics.EventTypeTag]!, t[UFBrowsersMetrics.OutcomeTag]!));
            }
        });
        listener.Start();
        var customer = await fixture.NewCustomer();
        var checkout = StripeEventFactory.CheckoutCompleted(customer.Subscriber(BillingFixture.Small, Anchor), Anchor);

        await fixture.Webhooks().Deliver(checkout);
        await fixture.Webhooks().Deliver(checkout);
        await fixture.Webhooks("whsec_wrong").SendAsync(checkout);

        lock (counted)
        {
            Assert.Equal(
                [("checkout.session.completed", "applied"), ("checkout.session.completed", "duplicate"), ("unknown", "invalid_signature")],
                counted);
        }
    }

    private async Task<IReadOnlyList<AuditRecord>> Audit(string customerId) =>
        await fixture.Services.GetRequiredService<IAuditLog>().ListAsync(customerId, 50, CancellationToken.None);
}
