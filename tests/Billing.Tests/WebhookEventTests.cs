using System.Net;
using System.Net.Http.Json;
using UFBrowsers.Billing.Tests.Infrastructure;
using UFBrowsers.Customers;
using UFBrowsers.StripeEvents;

namespace UFBrowsers.Billing.Tests;

/// <summary>Each event type end to end: signed as Stripe signs, posted to the webhook, checked in the account and ledger.</summary>
[Collection(BillingCollection.Name)]
public sealed class WebhookEventTests(BillingFixture fixture)
{
    private static readonly DateTimeOffset Anchor = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Checkout_completed_links_activates_provisions_and_grants_the_plans_credits()
    {
        var customer = await fixture.NewCustomer();
        var s = customer.Subscriber(BillingFixture.Small, Anchor);

        Assert.Equal("applied", await fixture.Webhooks().Deliver(StripeEventFactory.CheckoutCompleted(s, Anchor.AddSeconds(5))));

        var account = await customer.Account();
        Assert.Equal(SubscriptionStatus.Active, account.Status);
        Assert.True(account.TenantProvisioned);
        Assert.Equal(500, account.Balance);
        var grant = Assert.Single(await customer.Ledger());
        Assert.Equal(LedgerEntryKind.Grant, grant.Kind);
        Assert.Equal($"stripe:period:{s.InvoiceId(1)}:grant", grant.IdempotencyKey);
        var link = await fixture.Grains.GetGrain<IStripeSubscriptionGrain>(customer.Id).GetLink();
        Assert.Equal(new StripeLink(s.StripeCustomerId, s.SubscriptionId), link);
        Assert.Equal(customer.Id, await fixture.Grains.GetGrain<IStripeCustomerIndexGrain>(s.StripeCustomerId).GetCustomerId());

        // Stripe's invoice.paid for the same first invoice is the same period: nothing more is granted.
        Assert.Equal("applied", await fixture.Webhooks().Deliver(StripeEventFactory.InvoicePaid(s, 1, Anchor.AddSeconds(6))));
        Assert.Single(await customer.Ledger());
        Assert.Equal(500, (await customer.Account()).Balance);
    }

    [Fact]
    public async Task A_replayed_event_is_answered_2xx_and_changes_nothing()
    {
        var customer = await fixture.NewCustomer();
        var checkout = StripeEventFactory.CheckoutCompleted(customer.Subscriber(BillingFixture.Small, Anchor), Anchor.AddSeconds(5));

        Assert.Equal("applied", await fixture.Webhooks().Deliver(checkout));
        Assert.Equal("duplicate", await fixture.Webhooks().Deliver(checkout));
        Assert.Equal("duplicate", await fixture.Webhooks().Deliver(checkout));

        Assert.Single(await customer.Ledger());
        Assert.Equal(500, (await customer.Account()).Balance);
    }

    [Fact]
    public async Task Invoice_paid_resets_the_balance_to_the_plans_grant_with_entries_that_sum_to_it()
    {
        var customer = await fixture.NewCustomer();
        var s = customer.Subscriber(BillingFixture.Small, Anchor);
        await fixture.Webhooks().Deliver(StripeEventFactory.CheckoutCompleted(s, Anchor.AddSeconds(5)));
        await customer.Grain.AdjustCredits(-120, "usage stand-in", "test:spend");
        Assert.Equal(380, (await customer.Account()).Balance);

        Assert.Equal("applied", await fixture.Webhooks().Deliver(StripeEventFactory.InvoicePaid(s, 2, s.PeriodStart(2).AddHours(1))));

        var account = await customer.Account();
        Assert.Equal(500, account.Balance);
        Assert.Equal(SubscriptionStatus.Active, account.Status);
        var ledger = await customer.Ledger();
        Assert.Equal(account.Balance, ledger.Sum(e => e.Amount));
        Assert.Equal(-380, ledger[1].Amount);
        Assert.Equal($"stripe:period:{s.InvoiceId(2)}:expire", ledger[1].IdempotencyKey);
        Assert.Equal((LedgerEntryKind.Grant, 500L), (ledger[0].Kind, ledger[0].Amount));

        // Invoices arrive in any order: a paid invoice for an older period grants nothing once a newer one did.
        Assert.Equal("applied", await fixture.Webhooks().Deliver(StripeEventFactory.InvoicePaid(s, 1, Anchor.AddSeconds(6))));
        Assert.Equal(4, (await customer.Ledger()).Count);
        Assert.Equal(500, (await customer.Account()).Balance);
    }

    [Fact]
    public async Task Payment_failed_makes_the_subscription_past_due_refuses_new_sessions_and_lets_running_ones_finish()
    {
        var customer = await fixture.NewCustomer();
        var s = customer.Subscriber(BillingFixture.Small, Anchor);
        await fixture.Webhooks().Deliver(StripeEventFactory.CheckoutCompleted(s, Anchor.AddSeconds(5)));
        var running = await (await customer.Client.PostAsJsonAsync("/v1/sessions", new { })).Json();
        var sessionId = running["id"]!.GetValue<string>();

        Assert.Equal("applied", await fixture.Webhooks().Deliver(StripeEventFactory.InvoicePaymentFailed(s, 2, s.PeriodStart(2).AddHours(1))));

        Assert.Equal(SubscriptionStatus.PastDue, (await customer.Account()).Status);
        var refused = await customer.Client.PostAsJsonAsync("/v1/sessions", new { });
        Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        Assert.Equal("subscription_inactive", (await refused.Json())["code"]!.GetValue<string>());
        Assert.Equal("active", (await (await customer.Client.GetAsync($"/v1/sessions/{sessionId}")).Json())["status"]!.GetValue<string>());

        var ended = await (await customer.Client.PostAsync($"/v1/sessions/{sessionId}/end", null)).Json();
        Assert.Equal("client", ended["endReason"]!.GetValue<string>());
        Assert.Equal(1, ended["creditsCharged"]!.GetValue<long>());
    }

    [Fact]
    public async Task Subscription_updated_takes_plan_and_status_from_the_subscription()
    {
        var customer = await fixture.NewCustomer();
        var s = customer.Subscriber(BillingFixture.Small, Anchor);
        await fixture.Webhooks().Deliver(StripeEventFactory.CheckoutCompleted(s, Anchor.AddSeconds(5)));

        var upgrade = StripeEventFactory.SubscriptionUpdated(s, "active", 1, Anchor.AddDays(3), BillingFixture.Professional);
        Assert.Equal("applied", await fixture.Webhooks().Deliver(upgrade));
        var account = await customer.Account();
        Assert.Equal(("professional", 10, SubscriptionStatus.Active), (account.Plan.Name, account.Plan.ConcurrencyLimit, account.Status));

        var dunning = StripeEventFactory.SubscriptionUpdated(s, "past_due", 2, s.PeriodStart(2).AddDays(1), BillingFixture.Professional);
        Assert.Equal("applied", await fixture.Webhooks().Deliver(dunning));
        Assert.Equal(SubscriptionStatus.PastDue, (await customer.Account()).Status);

        // The next paid period grants the new plan's credits.
        await fixture.Webhooks().Deliver(StripeEventFactory.InvoicePaid(s, 2, s.PeriodStart(2).AddDays(3), BillingFixture.Professional));
        account = await customer.Account();
        Assert.Equal((SubscriptionStatus.Active, 5000L), (account.Status, account.Balance));
    }

    [Fact]
    public async Task Subscription_deleted_cancels_ends_and_bills_active_sessions_and_tears_the_tenant_down()
    {
        var customer = await fixture.NewCustomer();
        var s = customer.Subscriber(BillingFixture.Small, Anchor);
        await fixture.Webhooks().Deliver(StripeEventFactory.CheckoutCompleted(s, Anchor.AddSeconds(5)));
        var first = (await (await customer.Client.PostAsJsonAsync("/v1/sessions", new { })).Json())["id"]!.GetValue<string>();
        var second = (await (await customer.Client.PostAsJsonAsync("/v1/sessions", new { })).Json())["id"]!.GetValue<string>();

        Assert.Equal("applied", await fixture.Webhooks().Deliver(StripeEventFactory.SubscriptionDeleted(s, 1, Anchor.AddDays(10))));

        var account = await customer.Account();
        Assert.Equal(SubscriptionStatus.Cancelled, account.Status);
        Assert.False(account.TenantProvisioned);
        Assert.Equal(0, account.SessionsInUse);
        Assert.Equal(498, account.Balance);
        foreach (var id in new[] { first, second })
        {
            var session = await (await customer.Client.GetAsync($"/v1/sessions/{id}")).Json();
            Assert.Equal(("ended", "cancelled", 1L), (session["status"]!.GetValue<string>(), session["endReason"]!.GetValue<string>(), session["creditsCharged"]!.GetValue<long>()));
        }

        Assert.Equal(HttpStatusCode.PaymentRequired, (await customer.Client.PostAsJsonAsync("/v1/sessions", new { })).StatusCode);

        // A late event about the deleted subscription cannot bring it back.
        await fixture.Webhooks().Deliver(StripeEventFactory.SubscriptionUpdated(s, "active", 1, Anchor.AddDays(11)));
        Assert.Equal(SubscriptionStatus.Cancelled, (await customer.Account()).Status);
    }

    [Fact]
    public async Task Events_of_other_types_and_of_unknown_customers_are_acknowledged_and_ignored()
    {
        var stranger = new StripeSubscriber("cus-nobody-" + Guid.NewGuid().ToString("N")[..8], BillingFixture.Small, Anchor);
        Assert.Equal("ignored", await fixture.Webhooks().Deliver(StripeEventFactory.CheckoutCompleted(stranger, Anchor)));

        var other = new StripeEventPayload("evt_other_type", "customer.created",
            $$$"""{"id":"evt_other_type","object":"event","api_version":"{{{Stripe.StripeConfiguration.ApiVersion}}}","created":1767225600,"data":{"object":{"id":"cus_x","object":"customer"}},"livemode":false,"pending_webhooks":1,"type":"customer.created"}""");
        Assert.Equal("ignored", await fixture.Webhooks().Deliver(other));
    }
}
