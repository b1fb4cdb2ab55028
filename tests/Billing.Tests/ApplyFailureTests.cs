using System.Net;
using UFBrowsers.Billing.Tests.Infrastructure;
using UFBrowsers.Customers;
using UFBrowsers.StripeEvents;

namespace UFBrowsers.Billing.Tests;

[Collection(BillingCollection.Name)]
public sealed class ApplyFailureTests(BillingFixture fixture)
{
    private static readonly DateTimeOffset Anchor = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_event_that_fails_to_apply_is_answered_5xx_and_applied_by_stripes_retry()
    {
        var customer = await fixture.NewCustomer();
        var checkout = StripeEventFactory.CheckoutCompleted(customer.Subscriber(BillingFixture.Small, Anchor), Anchor);

        fixture.Ledger.FailAppends = true;
        try
        {
            using var failed = await fixture.Webhooks().SendAsync(checkout);
            Assert.True((int)failed.StatusCode >= 500, $"expected 5xx, got {(int)failed.StatusCode}");
        }
        finally
        {
            fixture.Ledger.FailAppends = false;
        }

        Assert.Empty(await customer.Ledger());

        Assert.Equal("applied", await fixture.Webhooks().Deliver(checkout));
        Assert.Equal("duplicate", await fixture.Webhooks().Deliver(checkout));
        var account = await customer.Account();
        Assert.Equal((SubscriptionStatus.Active, 500L), (account.Status, account.Balance));
        Assert.Single(await customer.Ledger());
    }
}
