using UFBrowsers.Customers;
using UFBrowsers.Grains.Tests.Infrastructure;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class LedgerInvariantTests(ClusterFixture fixture)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task After_a_random_mix_of_operations_the_balance_is_the_sum_of_the_ledger_and_of_the_bills(int seed)
    {
        var random = new Random(seed);
        var grains = fixture.Grains;
        var customer = await TestCustomers.Active(grains, credits: 40, plan: "starter");
        var customerId = customer.GetPrimaryKeyString();
        var sessions = new List<ISessionGrain>();

        for (var step = 0; step < 150; step++)
        {
            switch (random.Next(7))
            {
                case 0 or 1:
                    var key = random.Next(4) == 0 && sessions.Count > 0 ? "replay-" + random.Next(3) : Guid.NewGuid().ToString();
                    var session = grains.GetGrain<ISessionGrain>(SessionIds.FromIdempotencyKey(customerId, key));
                    await session.Start(new SessionRequest(customerId, random.Next(5) == 0 ? "gpu" : null));
                    sessions.Add(session);
                    break;
                case 2 when sessions.Count > 0:
                    await sessions[random.Next(sessions.Count)].End(EndReason.Client);
                    break;
                case 3 when sessions.Count > 0:
                    await sessions[random.Next(sessions.Count)].Meter();
                    break;
                case 4:
                    fixture.Time.Advance(TimeSpan.FromSeconds(random.Next(1, 90)));
                    break;
                case 5:
                    var amount = random.Next(-5, 20);
                    await customer.AdjustCredits(amount, "random adjustment", "adj-" + random.Next(10));
                    break;
                case 6:
                    fixture.PodProvider.FailNextCreations("gpu", random.Next(2));
                    break;
            }
        }

        foreach (var session in sessions)
        {
            await session.End(EndReason.Cancelled);
        }

        var account = (await customer.GetAccount())!;
        var ledger = (await customer.GetLedger(100_000, null)).Entries;
        Assert.Equal(account.Balance, ledger.Sum(e => e.Amount));
        Assert.True(account.Balance >= 0);
        Assert.Equal(0, account.SessionsInUse);
        Assert.Equal(ledger.Count, ledger.Select(e => e.IdempotencyKey).Distinct().Count());
        for (var i = 1; i < ledger.Count; i++)
        {
            Assert.Equal(ledger[i - 1].BalanceAfter, ledger[i].BalanceAfter + ledger[i - 1].Amount);
        }

        var bills = 0L;
        foreach (var id in sessions.Select(s => s.GetPrimaryKeyString()).Distinct())
        {
            var view = await grains.GetGrain<ISessionGrain>(id).Get();
            if (view is not null)
            {
                Assert.Equal(SessionStatus.Ended, view.Status);
                Assert.Equal(-ledger.Where(e => e.SessionId == id).Sum(e => e.Amount), view.CreditsCharged);
                bills += view.CreditsCharged;
            }
        }

        var grantsAndAdjustments = ledger.Where(e => e.SessionId is null).Sum(e => e.Amount);
        Assert.Equal(grantsAndAdjustments - bills, account.Balance);
    }
}
