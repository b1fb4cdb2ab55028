using UFBrowsers.Billing.Tests.Infrastructure;
using UFBrowsers.Customers;
using UFBrowsers.StripeEvents;
using Xunit.Abstractions;

namespace UFBrowsers.Billing.Tests;

[Collection(BillingCollection.Name)]
public sealed class EventStormTests(BillingFixture fixture, ITestOutputHelper output)
{
    private const int Customers = 250;
    private static readonly DateTimeOffset Anchor = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_storm_of_1000_events_with_duplicates_delivered_concurrently_applies_each_exactly_once()
    {
        var prefix = "storm-" + Guid.NewGuid().ToString("N")[..6];
        var customers = Enumerable.Range(0, Customers).Select(i => $"{prefix}-{i}").ToList();
        await Task.WhenAll(customers.Select(id => fixture.Grains.GetGrain<ICustomerGrain>(id).Create(id, "small")));

        // Four events per customer: the checkout and its first invoice (one grant between them), then a failed renewal
        // and Stripe's matching subscription update. A third of the events are delivered two or three times.
        var events = customers.SelectMany(id =>
        {
            var s = new StripeSubscriber(id, BillingFixture.Small, Anchor);
            return new[]
            {
                StripeEventFactory.CheckoutCompleted(s, Anchor.AddSeconds(5)),
                StripeEventFactory.InvoicePaid(s, 1, Anchor.AddSeconds(6)),
                StripeEventFactory.InvoicePaymentFailed(s, 2, s.PeriodStart(2).AddHours(1)),
                StripeEventFactory.SubscriptionUpdated(s, "past_due", 2, s.PeriodStart(2).AddHours(1).AddSeconds(1)),
            };
        }).ToList();
        Assert.Equal(1000, events.Count);
        var random = new Random(7);
        var deliveries = events.SelectMany(e => Enumerable.Repeat(e, random.Next(3) == 0 ? 2 + random.Next(2) : 1)).ToArray();
        random.Shuffle(deliveries);

        var sender = fixture.Webhooks();
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<(string EventId, string Outcome)>();
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (e, _) => outcomes.Add((e.Id, await sender.Deliver(e))));
        output.WriteLine($"{deliveries.Length} deliveries of {events.Count} events in {started.Elapsed.TotalSeconds:0.0} s");

        var applied = outcomes.Where(o => o.Outcome == "applied").Select(o => o.EventId).ToList();
        Assert.Equal(events.Count, applied.Count);
        Assert.Equal(events.Count, applied.Distinct().Count());
        Assert.Equal(deliveries.Length - events.Count, outcomes.Count(o => o.Outcome == "duplicate"));

        foreach (var id in customers)
        {
            var customer = fixture.Grains.GetGrain<ICustomerGrain>(id);
            var account = (await customer.GetAccount())!;
            var entry = Assert.Single((await customer.GetLedger(10, null)).Entries);
            Assert.Equal((LedgerEntryKind.Grant, 500L), (entry.Kind, entry.Amount));
            Assert.Equal((SubscriptionStatus.PastDue, 500L), (account.Status, account.Balance));
            Assert.True((await customer.AuditLedger()).Agrees);
        }
    }
}
