using Orleans.Core.Internal;
using UFBrowsers.Customers;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Grains.Tests.Infrastructure;
using UFBrowsers.Pods;
using UFBrowsers.Sessions;
using UFBrowsers.TestSupport;
using UFBrowsers.TestSupport.Faults;

namespace UFBrowsers.Grains.Tests;

/// <summary>
/// A session lives only while its browser lives: each check asks the pool, which asks the provider which pods are alive.
/// <see cref="ISessionGrain.Meter"/> is what the session's timer calls; the fake clock stands for the time between checks.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PodLivenessTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    private async Task<(ICustomerGrain Customer, ISessionGrain Session, SessionView View)> Start(string? nodePool = null, int? timeoutSeconds = null)
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var session = Grains.GetGrain<ISessionGrain>(SessionIds.New());
        var result = await session.Start(new SessionRequest(customer.GetPrimaryKeyString(), nodePool, timeoutSeconds));
        Assert.Equal(SessionStartOutcome.Started, result.Outcome);
        return (customer, session, result.Session!);
    }

    [Fact]
    public async Task A_pod_that_vanishes_without_a_word_ends_its_session_as_pod_lost_billed_to_the_last_check_that_saw_it()
    {
        var (customer, session, view) = await Start();
        fixture.Time.Advance(TimeSpan.FromSeconds(61));
        await session.Meter();
        Assert.True(fixture.PodProvider.Lose(PodIdOf(view)));

        fixture.Time.Advance(TimeSpan.FromSeconds(30));
        await session.Meter();

        var ended = (await session.Get())!;
        Assert.Equal((SessionStatus.Ended, EndReason.PodLost), (ended.Status, ended.EndReason));
        Assert.Equal(view.CreatedAt.AddSeconds(61), ended.EndedAt);
        Assert.Equal(2, ended.CreditsCharged);
        Assert.Equal((8L, 0), await BalanceAndInUse(customer));
    }

    [Fact]
    public async Task A_session_whose_pod_is_gone_when_its_meter_comes_late_pays_no_minute_after_the_pod_was_last_seen()
    {
        var (customer, session, view) = await Start();
        fixture.PodProvider.Lose(PodIdOf(view));

        // Its silo was down for ten minutes; the pod died with it.
        fixture.Time.Advance(TimeSpan.FromMinutes(10));
        await session.Meter();

        var ended = (await session.Get())!;
        Assert.Equal((SessionStatus.Ended, EndReason.PodLost, 1L, view.CreatedAt), (ended.Status, ended.EndReason, ended.CreditsCharged, ended.EndedAt));
        Assert.Equal((9L, 0), await BalanceAndInUse(customer));
    }

    [Fact]
    public async Task A_death_reported_long_after_the_last_sighting_bills_no_further_than_one_check_past_it()
    {
        var (customer, session, view) = await Start();
        fixture.Time.Advance(TimeSpan.FromMinutes(10));

        await Grains.GetGrain<IPodPoolGrain>(view.NodePool).ReportPodLost(PodIdOf(view));

        var ended = (await session.Get())!;
        Assert.Equal((SessionStatus.Ended, EndReason.PodFailed, 1L), (ended.Status, ended.EndReason, ended.CreditsCharged));
        Assert.Equal(view.CreatedAt.AddSeconds(30), ended.EndedAt);
        Assert.Equal((9L, 0), await BalanceAndInUse(customer));
    }

    [Fact]
    public async Task While_the_pool_cannot_tell_whether_the_pod_lives_no_minute_is_paid_and_the_session_is_not_ended()
    {
        var (customer, session, _) = await Start();
        fixture.Time.Advance(TimeSpan.FromSeconds(61));
        try
        {
            fixture.PodProvider.FailListings = true;
            await session.Meter();
            Assert.Equal((SessionStatus.Active, 1L), ((await session.Get())!.Status, (await session.Get())!.CreditsCharged));
            Assert.Equal(9, (await customer.GetAccount())!.Balance);
        }
        finally
        {
            fixture.PodProvider.FailListings = false;
        }

        fixture.Time.Advance(TimeSpan.FromSeconds(6));
        await session.Meter();

        Assert.Equal((SessionStatus.Active, 2L), ((await session.Get())!.Status, (await session.Get())!.CreditsCharged));
        Assert.Equal(8, (await customer.GetAccount())!.Balance);
    }

    [Fact]
    public async Task A_deadline_passed_while_the_pod_cannot_be_checked_bills_no_further_than_one_check_past_its_last_sighting()
    {
        var (customer, session, view) = await Start(timeoutSeconds: 300);
        fixture.Time.Advance(TimeSpan.FromSeconds(400));
        try
        {
            fixture.PodProvider.FailListings = true;
            await session.Meter();
        }
        finally
        {
            fixture.PodProvider.FailListings = false;
        }

        var ended = (await session.Get())!;
        Assert.Equal((SessionStatus.Ended, EndReason.Timeout, 1L), (ended.Status, ended.EndReason, ended.CreditsCharged));
        Assert.Equal(view.CreatedAt.AddSeconds(30), ended.EndedAt);
        Assert.Equal((9L, 0), await BalanceAndInUse(customer));
    }

    [Fact]
    public async Task A_pool_that_forgot_its_pods_learns_them_back_from_its_sessions_and_deletes_only_those_nobody_holds()
    {
        var (customer, session, view) = await Start("gpu");
        var gaveUp = await fixture.PodProvider.CreateAsync("gpu", CancellationToken.None, new PodAssignment(SessionIds.New(), customer.GetPrimaryKeyString(), null));
        var orphan = await fixture.PodProvider.CreateAsync("gpu", CancellationToken.None);
        var pool = Grains.GetGrain<IPodPoolGrain>("gpu");
        await pool.Cast<IGrainManagementExtension>().DeactivateOnIdle();

        await session.Meter();
        var claimed = await pool.GetInventory();
        var first = await pool.Sweep();
        fixture.Time.Advance(TimeSpan.FromMinutes(4));
        var second = await pool.Sweep();

        Assert.Equal(view.Id, claimed.AssignedToSession[PodIdOf(view)]);
        Assert.Empty(first.Deleted);
        Assert.Contains(gaveUp.PodId, second.Deleted);
        Assert.Contains(orphan.PodId, second.Deleted);
        Assert.DoesNotContain(PodIdOf(view), second.Deleted);
        Assert.DoesNotContain(gaveUp.PodId, fixture.PodProvider.Live.Keys);
        Assert.DoesNotContain(orphan.PodId, fixture.PodProvider.Live.Keys);
        Assert.Contains(PodIdOf(view), fixture.PodProvider.Live.Keys);
        Assert.Equal(SessionStatus.Active, (await session.Get())!.Status);
    }

    [Fact]
    public async Task A_pod_that_starts_after_its_session_stopped_waiting_is_deleted_and_never_assigned()
    {
        var customer = await TestCustomers.Active(Grains, credits: 10);
        var session = Grains.GetGrain<ISessionGrain>(SessionIds.New());
        var slowStart = fixture.PodProvider.Faults.HoldBefore(FaultSteps.PodCreate, "gpu");

        // The pool's acquire timeout (2 s in these tests, 20 s by default) is far below the 30 s grain call timeout.
        var result = await session.Start(new SessionRequest(customer.GetPrimaryKeyString(), "gpu"));

        Assert.Equal(SessionStartOutcome.NoBrowserAvailable, result.Outcome);
        Assert.Equal((10L, 0), await BalanceAndInUse(customer));
        slowStart.Release();
        var sessionId = session.GetPrimaryKeyString();
        await Eventually.Until(() => Task.FromResult(fixture.PodProvider.Assignments.Any(a => a.Value.SessionId == sessionId)
            && !fixture.PodProvider.Live.Keys.Any(pod => fixture.PodProvider.Assignments.TryGetValue(pod, out var a) && a.SessionId == sessionId)));
        var late = fixture.PodProvider.Assignments.Single(a => a.Value.SessionId == sessionId).Key;
        Assert.Contains(late, fixture.PodProvider.Deleted);
        Assert.DoesNotContain(late, (await Grains.GetGrain<IPodPoolGrain>("gpu").GetInventory()).AssignedToSession.Keys);
    }

    private static string PodIdOf(SessionView session) => session.ConnectUrl!.Split('/')[^1];

    private static async Task<(long Balance, int InUse)> BalanceAndInUse(ICustomerGrain customer)
    {
        var account = (await customer.GetAccount())!;
        return (account.Balance, account.SessionsInUse);
    }
}
