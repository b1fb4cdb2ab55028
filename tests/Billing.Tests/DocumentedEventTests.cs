using System.Text.Json.Nodes;
using UFBrowsers.Billing.Tests.Infrastructure;
using UFBrowsers.Customers;
using UFBrowsers.StripeEvents;

namespace UFBrowsers.Billing.Tests;

/// <summary>
/// The webhook fed Stripe's own documented example objects (StripeExamples/), with only the fields each scenario is about
/// changed: what Stripe.net parses from Stripe's shapes reaches the billing rules as it should.
/// </summary>
[Collection(BillingCollection.Name)]
public sealed class DocumentedEventTests(BillingFixture fixture)
{
    private static readonly DateTimeOffset Anchor = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Stripes_documented_checkout_session_unpaid_links_the_customer_and_grants_nothing()
    {
        var customer = await fixture.NewCustomer();
        var s = customer.Subscriber(BillingFixture.Small, Anchor);
        var session = Subscription(DocumentedStripeEvents.CheckoutSession(), customer.Id, s);
        Assert.Equal("unpaid", session["payment_status"]!.GetValue<string>());

        using var completed = await fixture.Webhooks().SendAsync(DocumentedStripeEvents.Event("checkout.session.completed", session, Anchor));

        Assert.Contains("payment_status 'unpaid'", await completed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((SubscriptionStatus.None, 0L), ((await customer.Account()).Status, (await customer.Account()).Balance));
        Assert.Equal(s.StripeCustomerId, (await fixture.Grains.GetGrain<IStripeSubscriptionGrain>(customer.Id).GetLink()).StripeCustomerId);

        session["payment_status"] = "paid";
        Assert.Equal("applied", await fixture.Webhooks().Deliver(DocumentedStripeEvents.Event("checkout.session.async_payment_succeeded", session, Anchor.AddDays(2))));

        var account = await customer.Account();
        Assert.Equal((SubscriptionStatus.Active, 500L), (account.Status, account.Balance));
    }

    [Fact]
    public async Task Stripes_documented_invoice_a_manual_one_with_a_proration_line_leaves_the_balance_alone()
    {
        var customer = await fixture.NewCustomer();
        var s = customer.Subscriber(BillingFixture.Small, Anchor);
        await fixture.Webhooks().Deliver(StripeEventFactory.CheckoutCompleted(s, Anchor.AddSeconds(5)));
        await customer.Grain.AdjustCredits(-75, "usage stand-in", "test:spend:documented");
        var invoice = PaidSubscriptionInvoice(customer.Id, s, Anchor.AddDays(10));
        Assert.Equal("manual", invoice["billing_reason"]!.GetValue<string>());
        Assert.True(invoice["lines"]!["data"]![0]!["parent"]!["subscription_item_details"]!["proration"]!.GetValue<bool>());

        using var response = await fixture.Webhooks().SendAsync(DocumentedStripeEvents.Event("invoice.paid", invoice, Anchor.AddDays(10)));

        Assert.Contains("billing_reason 'manual'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(425, (await customer.Account()).Balance);
    }

    [Fact]
    public async Task Stripes_documented_invoice_for_a_new_cycle_starts_the_next_period()
    {
        var customer = await fixture.NewCustomer();
        var s = customer.Subscriber(BillingFixture.Small, Anchor);
        await fixture.Webhooks().Deliver(StripeEventFactory.CheckoutCompleted(s, Anchor.AddSeconds(5)));
        await customer.Grain.AdjustCredits(-75, "usage stand-in", "test:spend:cycle");
        var invoice = PaidSubscriptionInvoice(customer.Id, s, s.PeriodStart(2));
        invoice["billing_reason"] = "subscription_cycle";
        var line = invoice["lines"]!["data"]![0]!;
        line["period"] = new JsonObject { ["start"] = s.PeriodStart(2).ToUnixTimeSeconds(), ["end"] = s.PeriodEnd(2).ToUnixTimeSeconds() };
        line["parent"]!["subscription_item_details"]!["proration"] = false;

        Assert.Equal("applied", await fixture.Webhooks().Deliver(DocumentedStripeEvents.Event("invoice.paid", invoice, s.PeriodStart(2).AddMinutes(5))));

        Assert.Equal(500, (await customer.Account()).Balance);
        Assert.Contains(await customer.Ledger(), e => e.IdempotencyKey == $"stripe:period:{invoice["id"]!.GetValue<string>()}:grant");
    }

    private static JsonObject Subscription(JsonObject session, string customerId, StripeSubscriber s)
    {
        session["mode"] = "subscription";
        session["client_reference_id"] = customerId;
        session["customer"] = s.StripeCustomerId;
        session["subscription"] = s.SubscriptionId;
        session["invoice"] = s.InvoiceId(1);
        session["payment_intent"] = null;
        return session;
    }

    /// <summary>Stripe's documented invoice (a manual one with a proration line), paid, for this customer's subscription.</summary>
    private static JsonObject PaidSubscriptionInvoice(string customerId, StripeSubscriber s, DateTimeOffset at)
    {
        var invoice = DocumentedStripeEvents.Invoice();
        invoice["id"] = $"in_doc_{Guid.NewGuid():N}"[..30];
        invoice["customer"] = s.StripeCustomerId;
        invoice["status"] = "paid";
        invoice["amount_paid"] = invoice["amount_due"]!.GetValue<long>();
        invoice["amount_remaining"] = 0;
        invoice["created"] = at.ToUnixTimeSeconds();
        invoice["parent"]!["subscription_details"]!["subscription"] = s.SubscriptionId;
        invoice["parent"]!["subscription_details"]!["metadata"] = new JsonObject { ["ufb_customer_id"] = customerId, ["ufb_plan"] = "small" };
        var line = invoice["lines"]!["data"]![0]!;
        line["invoice"] = invoice["id"]!.GetValue<string>();
        line["period"] = new JsonObject { ["start"] = at.ToUnixTimeSeconds(), ["end"] = s.PeriodEnd(1).ToUnixTimeSeconds() };
        return invoice;
    }
}
