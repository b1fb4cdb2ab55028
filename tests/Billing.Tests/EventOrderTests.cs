using UFBrowsers.Billing.Tests.Infrastructure;
using UFBrowsers.Customers;
using UFBrowsers.StripeEvents;

namespace UFBrowsers.Billing.Tests;

/// <summary>Stripe delivers at least once and in any order; the end state must not depend on either.</summary>
[Collection(BillingCollection.Name)]
public sealed class EventOrderTests(BillingFixture fixture)
{
    private static readonly DateTimeOffset Anchor = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Four months of a subscription: checkout and the first invoice, a renewal, a failed then recovered renewal,
    /// an upgrade, a renewal at the new price, and (when <paramref name="cancelled"/>) the end.
    /// </summary>
    private static IReadOnlyList<StripeEventPayload> Lifecycle(StripeSubscriber s, bool cancelled) =>
    [
        StripeEventFactory.CheckoutCompleted(s, Anchor.AddSeconds(5)),
        StripeEventFactory.InvoicePaid(s, 1, Anchor.AddSeconds(6)),
        StripeEventFactory.InvoicePaid(s, 2, s.PeriodStart(2).AddHours(1)),
        StripeEventFactory.InvoicePaymentFailed(s, 3, s.PeriodStart(3).AddHours(1)),
        StripeEventFactory.InvoicePaid(s, 3, s.PeriodStart(3).AddDays(3)),
        StripeEventFactory.SubscriptionUpdated(s, "active", 3, s.PeriodStart(3).AddDays(10), BillingFixture.Professional),
        StripeEventFactory.InvoicePaid(s, 4, s.PeriodStart(4).AddHours(1), BillingFixture.Professional),
        .. cancelled ? [StripeEventFactory.SubscriptionDeleted(s, 4, s.PeriodStart(4).AddDays(20), BillingFixture.Professional)] : Array.Empty<StripeEventPayload>(),
    ];

    [Theory]
    [InlineData(false, SubscriptionStatus.Active)]
    [InlineData(true, SubscriptionStatus.Cancelled)]
    public async Task A_lifecycle_replayed_three_times_and_shuffled_ends_as_it_does_once_in_order(bool cancelled, SubscriptionStatus finalStatus)
    {
        var inOrder = await fixture.NewCustomer();
        var senders = fixture.Webhooks();
        foreach (var e in Lifecycle(inOrder.Subscriber(BillingFixture.Small, Anchor), cancelled))
        {
            Assert.Equal("applied", await senders.Deliver(e));
        }

        var expected = await inOrder.Account();
        Assert.Equal(("professional", finalStatus, 5000L, !cancelled),
            (expected.Plan.Name, expected.Status, expected.Balance, expected.TenantProvisioned));

        foreach (var seed in new[] { 1, 2, 3 })
        {
            var shuffled = await fixture.NewCustomer();
            var events = Lifecycle(shuffled.Subscriber(BillingFixture.Small, Anchor), cancelled);
            var deliveries = events.Concat(events).Concat(events).ToArray();
            new Random(seed).Shuffle(deliveries);
            var outcomes = new List<string>();
            foreach (var e in deliveries)
            {
                outcomes.Add(await senders.Deliver(e));
            }

            Assert.Equal(events.Count, outcomes.Count(o => o == "applied"));
            Assert.Equal(2 * events.Count, outcomes.Count(o => o == "duplicate"));
            var actual = await shuffled.Account();
            Assert.Equal((expected.Plan, expected.Status, expected.Balance, expected.TenantProvisioned, expected.SessionsInUse),
                (actual.Plan, actual.Status, actual.Balance, actual.TenantProvisioned, actual.SessionsInUse));
            var ledger = await shuffled.Ledger();
            Assert.Equal(actual.Balance, ledger.Sum(e => e.Amount));
            Assert.Equal(ledger.Count, ledger.Select(e => e.IdempotencyKey).Distinct().Count());
        }
    }
}
