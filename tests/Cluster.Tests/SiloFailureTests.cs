using System.Collections.Concurrent;
using UFBrowsers.Cluster.Tests.Infrastructure;
using UFBrowsers.Customers;
using UFBrowsers.Sessions;
using UFBrowsers.TestSupport;
using Xunit.Abstractions;

namespace UFBrowsers.Cluster.Tests;

[Collection(PostgresCollection.Name)]
public sealed class SiloFailureTests(PostgresServer postgres, ITestOutputHelper output)
{
    private const long Grant = 10_000;

    [Fact]
    public async Task Killing_one_of_three_silos_mid_traffic_loses_and_doubles_no_charge()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = await ThreeSiloCluster.StartAsync(database);
        var grains = cluster.Client;
        var customers = new List<ICustomerGrain>();
        for (var i = 0; i < 8; i++)
        {
            var customer = grains.GetGrain<ICustomerGrain>("cus-" + Guid.NewGuid().ToString("N")[..12]);
            await customer.Create("customer " + i, "professional");
            await customer.ChangeSubscription(new SubscriptionChange(Status: SubscriptionStatus.Active, TenantProvisioned: true));
            await customer.AdjustCredits(Grant, "test grant", "grant");
            customers.Add(customer);
        }

        var started = new ConcurrentDictionary<string, string>();
        var failedCalls = 0;
        using var stop = new CancellationTokenSource();

        async Task<T> Retry<T>(Func<Task<T>> call)
        {
            // Retried with the same session id, as a client retries with the same Idempotency-Key.
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    return await call();
                }
                catch (Exception) when (attempt < 60)
                {
                    Interlocked.Increment(ref failedCalls);
                    await Task.Delay(500);
                }
            }
        }

        async Task Worker(int index)
        {
            var random = new Random(index);
            while (!stop.IsCancellationRequested)
            {
                var customer = customers[random.Next(customers.Count)];
                var sessionId = SessionIds.New();
                var session = grains.GetGrain<ISessionGrain>(sessionId);
                // No browser (the pool's silo died under the call) is a 503 to a client: it retries, and the refunded hold is taken again.
                var result = await Retry(async () =>
                {
                    var attempt = await session.Start(new SessionRequest(customer.GetPrimaryKeyString()));
                    return attempt.Outcome == SessionStartOutcome.NoBrowserAvailable ? throw new TimeoutException("no browser yet") : attempt;
                });
                Assert.True(result.Succeeded, result.Outcome.ToString());
                started[sessionId] = customer.GetPrimaryKeyString();
                var ended = await Retry(() => session.End(EndReason.Client));
                Assert.Equal(SessionStatus.Ended, ended!.Status);
            }
        }

        var workers = Enumerable.Range(0, 6).Select(i => Task.Run(() => Worker(i))).ToList();
        await Task.Delay(TimeSpan.FromSeconds(4));
        var beforeKill = started.Count;
        await cluster.KillSiloAsync(cluster.SecondarySilos[0]);
        await Task.Delay(TimeSpan.FromSeconds(12));
        stop.Cancel();
        await Task.WhenAll(workers);

        var charged = 0L;
        foreach (var customer in customers)
        {
            var audit = await customer.AuditLedger();
            var sessions = started.Where(s => s.Value == customer.GetPrimaryKeyString()).Select(s => s.Key).ToList();
            Assert.True(audit.Agrees, audit.ToString());
            Assert.Equal(0, audit.ActiveSessions);
            Assert.Equal(Grant - sessions.Count, audit.LedgerSum);
            foreach (var id in sessions)
            {
                var view = await grains.GetGrain<ISessionGrain>(id).Get();
                Assert.Equal((SessionStatus.Ended, 1L), (view!.Status, view.CreditsCharged));
                charged += view.CreditsCharged;
            }
        }

        output.WriteLine($"sessions: {beforeKill} before the kill, {started.Count} in all, {failedCalls} failed calls retried; " +
            $"{charged} credits charged for {started.Count} one-minute sessions across {customers.Count} customers; every ledger agrees.");
        Assert.True(started.Count > beforeKill, "traffic should go on after a silo dies");
    }
}
