using UFBrowsers.Billing.Tests.Infrastructure;
using UFBrowsers.Customers;
using UFBrowsers.StripeEvents;

namespace UFBrowsers.Billing.Tests;

/// <summary>Credits come only from money received; a mid-period invoice never resets a period.</summary>
[Collection(BillingCollection.Name)]
public sealed class MoneyReceivedTests(BillingFixture fixture)
{
    private static readonly DateTimeOffset Anchor = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_checkout_whose_payment_is_still_to_come_grants_nothing_until_the_money_arrives()
    {
        var customer = await fixture.NewCustomer();
        var s = customer.Subscriber(BillingFixture.Small, Anchor);

        Assert.Equal("applied", await fixture.Webhooks().Deliver(StripeEventFactory.CheckoutCompleted(s, Anchor.AddSeconds(5), paymentStatus: "unpaid")));

        var pending = await customer.Account();
        Assert.Equal((SubscriptionStatus.None, 0L, false), (pending.Status, pending.Balance, pending.TenantProvisioned));
        Assert.Empty(await customer.Ledger());
        Assert.Equal(s.StripeCustomerId, (await fixture.Grains.GetGrain<IStripeSubscriptionGrain>(customer.Id).GetLink()).StripeCustomerId);

        Assert.Equal("applied", await fixture.Webhooks().Deliver(StripeEventFactory.CheckoutAsyncPaymentSucceeded(s, Anchor.AddDays(3))));

        var paid = await customer.Account();
        Assert.Equal((SubscriptionStatus.Active, 500L, true), (paid.Status, paid.Balance, paid.TenantProvisioned));
        Assert.Equal($"stripe:period:{s.InvoiceId(1)}:grant", Assert.Single(await customer.Ledger()).IdempotencyKey);

        // The first invoice's invoice.paid names the same invoice: nothing more.
        Assert.Equal("applied", await fixture.Webhooks().Deliver(StripeEventFactory.InvoicePaid(s, 1, Anchor.AddDays(3).AddSeconds(1))));
        Assert.Single(await customer.Ledger());
    }

    [Fact]
    public async Task A_failed_delayed_payment_grants_and_activates_nothing()
    {
        var customer = await fixture.NewCustomer();
        var s = customer.Subscriber(BillingFixture.Small, Anchor);
        await fixture.Webhooks().Deliver(StripeEventFactory.CheckoutCompleted(s, Anchor.AddSeconds(5), paymentStatus: "unpaid"));

        using var response = await fixture.Webhooks().SendAsync(StripeEventFactory.CheckoutAsyncPaymentFailed(s, Anchor.AddDays(4)));

        Assert.Contains("payment failed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var account = await customer.Account();
        Assert.Equal((SubscriptionStatus.None, 0L, false), (account.Status, account.Balance, account.TenantProvisioned));
        Assert.Empty(await customer.Ledger());
    }

    [Theory]
    [InlineData("subscription_update")]
    [InlineData("manual")]
    [InlineData("subscription_threshold")]
    public async Task A_mid_period_invoice_never_resets_the_balance(string billingReason)
    {
        var customer = await fixture.NewCustomer();
        var s = customer.Subscriber(BillingFixture.Small, Anchor);
        await fixture.Webhooks().Deliver(StripeEventFactory.CheckoutCompleted(s, Anchor.AddSeconds(5)));
        await customer.Grain.AdjustCredits(-120, "usage stand-in", "test:spend:" + billingReason);

        var upgrade = StripeEventFactory.ProrationInvoicePaid(s, 1, Anchor.AddDays(12), BillingFixture.Professional, amountCents: 2600, billingReason);
        Assert.Equal("applied", await fixture.Webhooks().Deliver(upgrade));

        Assert.Equal(380, (await customer.Account()).Balance);
        Assert.Equal(2, (await customer.Ledger()).Count);

        // The next cycle is a new period: reset to the (new) plan's grant.
        await fixture.Webhooks().Deliver(StripeEventFactory.InvoicePaid(s, 2, s.PeriodStart(2).AddHours(1), BillingFixture.Professional));
        Assert.Equal(5000, (await customer.Account()).Balance);
    }

    [Fact]
    public async Task A_zero_dollar_first_invoice_grants_nothing()
    {
        var customer = await fixture.NewCustomer();
        var s = customer.Subscriber(BillingFixture.Small, Anchor);
        var trial = StripeEventFactory.InvoicePaid(s, 1, Anchor.AddSeconds(5), BillingFixture.Small with { AmountCents = 0 });

        Assert.Equal("applied", await fixture.Webhooks().Deliver(trial));

        Assert.Equal(0, (await customer.Account()).Balance);
        Assert.Equal(SubscriptionStatus.Active, (await customer.Account()).Status);
    }
}
