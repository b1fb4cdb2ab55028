using UFBrowsers.Cluster.Tests.Infrastructure;
using UFBrowsers.Customers;
using UFBrowsers.Pods;
using UFBrowsers.Sessions;
using UFBrowsers.TestSupport;
using UFBrowsers.TestSupport.Faults;
using Xunit.Abstractions;

namespace UFBrowsers.Cluster.Tests;

/// <summary>
/// A silo killed at each step of a session's start, meter and end, with clients that never retry: a call is held at the
/// step by the fault plan, the silo it runs on is killed, and the cluster must finish or undo what was half done by
/// itself. Each test checks the money afterwards: every hold refunded or billed, balance == sum(ledger), every slot free,
/// no pod without an active session, and no session charged more than the minutes its browser lived plus one.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SiloCrashTests(PostgresServer postgres, ITestOutputHelper output)
{
    private const long Grant = 100;

    /// <summary>Generous bound for a loaded machine; what each case took is printed.</summary>
    private const int RecoverySeconds = 60;

    [Fact]
    public async Task Start_killed_after_the_hold_before_a_pod_refunds_the_hold()
    {
        await using var crash = await CrashCluster.StartAsync(await postgres.CreateDatabaseAsync());
        var (customer, session) = await NewSession(crash);
        var held = CrashCluster.Faults.HoldAfter(FaultSteps.LedgerOpenSession, session.GetPrimaryKeyString());

        var start = session.Start(new SessionRequest(customer.GetPrimaryKeyString()));
        await crash.KillAsync(await held.Reached.WaitAsync(TimeSpan.FromSeconds(30)));
        await Observe(start);

        await WaitUntilSettled(crash, customer, "hold refunded");
        Assert.Null(await session.Get());
        Assert.Equal([LedgerEntryKind.Refund, LedgerEntryKind.Hold], (await Entries(customer, session)).Select(e => e.Kind));
        await AssertMoneySettled(crash, customer, [session]);
    }

    [Fact]
    public async Task Start_killed_while_the_pool_hands_out_the_pod_refunds_the_hold_and_deletes_the_pod()
    {
        await using var crash = await CrashCluster.StartAsync(await postgres.CreateDatabaseAsync());
        await WarmPool(crash);
        var (customer, session) = await NewSession(crash);
        var held = CrashCluster.Faults.HoldAfter(FaultSteps.PodAssign, session.GetPrimaryKeyString());

        var start = session.Start(new SessionRequest(customer.GetPrimaryKeyString()));
        await crash.KillAsync(await held.Reached.WaitAsync(TimeSpan.FromSeconds(30)));
        await Observe(start);

        await WaitUntilSettled(crash, customer, "hold refunded, pod deleted");
        Assert.Null(await session.Get());
        await AssertMoneySettled(crash, customer, [session]);
    }

    [Fact]
    public async Task Start_killed_before_the_session_saved_its_start_refunds_the_hold_and_deletes_the_pod()
    {
        await using var crash = await CrashCluster.StartAsync(await postgres.CreateDatabaseAsync());
        var (customer, session) = await NewSession(crash);
        var held = CrashCluster.Faults.HoldBefore(FaultSteps.GrainStateWrite, session.GetPrimaryKeyString());

        var start = session.Start(new SessionRequest(customer.GetPrimaryKeyString()));
        await crash.KillAsync(await held.Reached.WaitAsync(TimeSpan.FromSeconds(30)));
        await Observe(start);

        await WaitUntilSettled(crash, customer, "hold refunded, pod deleted");
        Assert.Null(await session.Get());
        await AssertMoneySettled(crash, customer, [session]);
    }

    [Fact]
    public async Task Meter_killed_after_a_minute_was_paid_before_the_session_saved_it_never_pays_it_twice()
    {
        await using var crash = await CrashCluster.StartAsync(await postgres.CreateDatabaseAsync());
        var (customer, session) = await NewSession(crash);
        Assert.Equal(SessionStartOutcome.Started, (await session.Start(new SessionRequest(customer.GetPrimaryKeyString()))).Outcome);
        var held = CrashCluster.Faults.HoldBefore(FaultSteps.GrainStateWrite, session.GetPrimaryKeyString());

        // Minute 2 begins; the session's own timer pays it and is killed before it saves that.
        CrashCluster.Clock.Advance(TimeSpan.FromSeconds(61));
        await crash.KillAsync(await held.Reached.WaitAsync(TimeSpan.FromSeconds(30)));

        // The customer's reminder brings the session back on the other silo, where it is metered on: minute 3 gets paid.
        CrashCluster.Clock.Advance(TimeSpan.FromSeconds(60));
        await Eventually.Until(async () => (await Entries(customer, session)).Any(e => e.IdempotencyKey.EndsWith(":minute:3", StringComparison.Ordinal)), RecoverySeconds);
        output.WriteLine($"session metered again on another silo {crash.SinceKill.TotalSeconds:F1} s after the kill");
        var ended = await session.End(EndReason.Client);
        Assert.Equal((SessionStatus.Ended, 3L), (ended!.Status, ended.CreditsCharged));
        Assert.Single(await Entries(customer, session), e => e.IdempotencyKey.EndsWith(":minute:2", StringComparison.Ordinal));
        await AssertMoneySettled(crash, customer, [session]);
    }

    [Fact]
    public async Task Silo_killed_with_the_browsers_it_ran_ends_their_sessions_as_pod_lost_billed_to_their_last_sighting()
    {
        await using var crash = await CrashCluster.StartAsync(await postgres.CreateDatabaseAsync(), podsDieWithTheirSilo: true);
        var customer = await NewCustomer(crash);
        var sessions = new List<ISessionGrain>();
        for (var i = 0; i < 3; i++)
        {
            var session = crash.Grains.GetGrain<ISessionGrain>(SessionIds.New());
            Assert.Equal(SessionStartOutcome.Started, (await session.Start(new SessionRequest(customer.GetPrimaryKeyString()))).Outcome);
            sessions.Add(session);
        }

        var pod = (await sessions[0].GetPod())!.PodId;
        var killedAt = CrashCluster.Clock.GetUtcNow();
        await crash.KillAsync(crash.SiloOfPod(pod)!);

        await Eventually.Until(async () => (await Task.WhenAll(sessions.Select(s => s.Get()))).All(v => v!.Status == SessionStatus.Ended), RecoverySeconds);
        output.WriteLine($"3 sessions ended {crash.SinceKill.TotalSeconds:F1} s after their silo was killed");
        foreach (var session in sessions)
        {
            var view = (await session.Get())!;
            Assert.Equal((SessionStatus.Ended, EndReason.PodLost, 1L), (view.Status, view.EndReason, view.CreditsCharged));
            Assert.True(view.EndedAt <= killedAt, $"{view.EndedAt} after the kill at {killedAt}");
        }

        await AssertMoneySettled(crash, customer, sessions);
    }

    [Fact]
    public async Task End_killed_after_the_settlement_finishes_as_settled_without_a_retry_and_deletes_the_pod()
    {
        await using var crash = await CrashCluster.StartAsync(await postgres.CreateDatabaseAsync());
        var (customer, session) = await NewSession(crash);
        Assert.Equal(SessionStartOutcome.Started, (await session.Start(new SessionRequest(customer.GetPrimaryKeyString()))).Outcome);
        var pod = (await session.GetPod())!.PodId;
        var held = CrashCluster.Faults.HoldAfter(FaultSteps.LedgerCloseSession, session.GetPrimaryKeyString());

        var end = session.End(EndReason.Client);
        await crash.KillAsync(await held.Reached.WaitAsync(TimeSpan.FromSeconds(30)));
        await Observe(end);
        // A minute passes: the session (if it lived) meters and finds itself settled; if it died, its unclaimed pod brings it back.
        CrashCluster.Clock.Advance(TimeSpan.FromSeconds(60));

        await Eventually.Until(() => Task.FromResult(!crash.Pods.Any(p => p.Live.ContainsKey(pod))), RecoverySeconds);
        output.WriteLine($"pod deleted {crash.SinceKill.TotalSeconds:F1} s after the kill");
        var view = (await session.Get())!;
        Assert.Equal((SessionStatus.Ended, EndReason.Client, 1L), (view.Status, view.EndReason, view.CreditsCharged));
        Assert.Single(await Entries(customer, session), e => e.Kind == LedgerEntryKind.Hold);
        await AssertMoneySettled(crash, customer, [session]);
    }

    [Fact]
    public async Task End_killed_before_the_session_saved_its_end_reads_the_end_back_from_the_ledger()
    {
        await using var crash = await CrashCluster.StartAsync(await postgres.CreateDatabaseAsync());
        var (customer, session) = await NewSession(crash);
        Assert.Equal(SessionStartOutcome.Started, (await session.Start(new SessionRequest(customer.GetPrimaryKeyString()))).Outcome);
        var held = CrashCluster.Faults.HoldBefore(FaultSteps.GrainStateWrite, session.GetPrimaryKeyString());

        var end = session.End(EndReason.Client);
        await crash.KillAsync(await held.Reached.WaitAsync(TimeSpan.FromSeconds(30)));
        await Observe(end);

        await Eventually.Until(async () => (await session.Get())?.Status == SessionStatus.Ended, RecoverySeconds);
        output.WriteLine($"session read back as ended {crash.SinceKill.TotalSeconds:F1} s after the kill");
        var view = (await session.Get())!;
        Assert.Equal((SessionStatus.Ended, EndReason.Client, 1L), (view.Status, view.EndReason, view.CreditsCharged));
        await AssertMoneySettled(crash, customer, [session]);
    }

    private async Task WaitUntilSettled(CrashCluster crash, ICustomerGrain customer, string what)
    {
        await Eventually.Until(async () =>
        {
            var account = (await customer.GetAccount())!;
            return account.SessionsInUse == 0 && account.Balance == Grant && await NoPodWithoutSession(crash);
        }, RecoverySeconds);
        output.WriteLine($"{what} {crash.SinceKill.TotalSeconds:F1} s after the kill");
    }

    /// <summary>The money, slot and pod checks every crash case ends with.</summary>
    private static async Task AssertMoneySettled(CrashCluster crash, ICustomerGrain customer, IReadOnlyList<ISessionGrain> sessions)
    {
        var audit = await customer.AuditLedger();
        Assert.True(audit.Agrees, audit.ToString());
        var views = await Task.WhenAll(sessions.Select(s => s.Get()));
        Assert.Equal(views.Count(v => v?.Status == SessionStatus.Active), audit.ActiveSessions);
        Assert.Equal(Grant - views.Sum(v => v?.CreditsCharged ?? 0), audit.LedgerSum);
        for (var i = 0; i < sessions.Count; i++)
        {
            var paid = -(await Entries(customer, sessions[i])).Sum(e => e.Amount);
            Assert.Equal(views[i]?.CreditsCharged ?? 0, paid);
            if (views[i] is { } view && LifetimeOf(crash, view) is { } alive)
            {
                Assert.True(view.CreditsCharged - 1 <= alive.TotalMinutes, $"{view.Id} charged {view.CreditsCharged} for a browser alive {alive}");
            }
        }

        Assert.True(await NoPodWithoutSession(crash), "a live pod serves no active session");
    }

    /// <summary>How long the session's browser lived after the session started.</summary>
    private static TimeSpan? LifetimeOf(CrashCluster crash, SessionView view)
    {
        var podId = view.ConnectUrl?.Split('/')[^1];
        foreach (var provider in crash.Pods)
        {
            if (podId is not null && provider.Lifetimes.TryGetValue(podId, out var lifetime))
            {
                var end = lifetime.Ended ?? CrashCluster.Clock.GetUtcNow();
                return end > view.CreatedAt ? end - view.CreatedAt : TimeSpan.Zero;
            }
        }

        return null;
    }

    private static async Task<bool> NoPodWithoutSession(CrashCluster crash)
    {
        var warm = (await crash.Grains.GetGrain<IPodPoolGrain>("default").GetInventory()).Ready.ToHashSet();
        foreach (var provider in crash.Pods)
        {
            foreach (var podId in provider.Live.Keys)
            {
                if (warm.Contains(podId))
                {
                    continue;
                }

                var session = provider.Assignments.TryGetValue(podId, out var assignment) ? assignment.SessionId : null;
                if (session is null || !await crash.Grains.GetGrain<ISessionGrain>(session).HoldsPod(podId))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static async Task WarmPool(CrashCluster crash)
    {
        var pool = crash.Grains.GetGrain<IPodPoolGrain>("default");
        await pool.Warm();
        await Eventually.Until(async () => (await pool.GetStatus()).Ready >= 1, 30);
    }

    private static async Task<ICustomerGrain> NewCustomer(CrashCluster crash)
    {
        var customer = crash.Grains.GetGrain<ICustomerGrain>("cus_" + Guid.NewGuid().ToString("N")[..12]);
        await customer.Create("Crash test customer", "professional");
        await customer.ChangeSubscription(new SubscriptionChange(Status: SubscriptionStatus.Active, TenantProvisioned: true));
        await customer.AdjustCredits(Grant, "test grant", "grant");
        return customer;
    }

    private static async Task<(ICustomerGrain Customer, ISessionGrain Session)> NewSession(CrashCluster crash) =>
        (await NewCustomer(crash), crash.Grains.GetGrain<ISessionGrain>(SessionIds.New()));

    private static async Task<IReadOnlyList<LedgerEntry>> Entries(ICustomerGrain customer, ISessionGrain session) =>
        (await customer.GetLedger(1000, null)).Entries.Where(e => e.SessionId == session.GetPrimaryKeyString()).ToList();

    /// <summary>The client's call was cut by the kill, or answered: either way it is not retried.</summary>
    private static async Task Observe(Task call)
    {
        try
        {
            await call.WaitAsync(TimeSpan.FromSeconds(45));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Expected for the calls the kill cut.
        }
    }
}
