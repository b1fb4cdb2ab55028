using UFBrowsers.Grains.Tests.Infrastructure;
using UFBrowsers.Pods;
using UFBrowsers.Sessions;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Grains.Tests;

/// <summary>
/// The pool's warm target following demand, with the fake provider: launches that take fake time (so the pool measures
/// them as the test says, and they finish when the test moves the clock), a machine that holds only so many pods.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PodPoolDemandTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Launch = TimeSpan.FromSeconds(2);

    private IGrainFactory Grains => fixture.Grains;

    private FakePodProvider Pods => fixture.PodProvider;

    private int Live(string nodePool) => Pods.Live.Values.Count(pod => pod.NodePool == nodePool);

    [Fact]
    public async Task A_burst_while_launches_are_slow_queues_for_two_launches_at_a_time_never_exceeds_MaxPods_and_leaves_no_pod_behind()
    {
        // surge: MinWarm 1, MaxWarm 6, MaxPods 8, MaxParallelStarts 2. No herd: however many sessions wait, two pods start at once.
        const string Pool = "surge";
        var pool = Grains.GetGrain<IPodPoolGrain>(Pool);
        Pods.CreationsTake(Pool, Launch, fixture.Time);

        // Twelve sessions at once and no warm pod: each waits for a launch until the pool is at MaxPods; the rest are refused.
        var acquiring = Enumerable.Range(0, 12).Select(_ => pool.Acquire(SessionIds.New())).ToList();
        await Eventually.Until(async () => await pool.GetStatus() is { } s && s.Misses + s.Refused == 12 && s.Creating == Pods.Starting(Pool));
        var burst = await pool.GetStatus();

        // Eight sessions (MaxPods) queue for warm pods, two of which start at a time; the other four are refused.
        Assert.Equal((8L, 4L, 0L), (burst.Misses, burst.Refused, burst.Hits));
        Assert.Equal(8, burst.Waiting);
        Assert.Equal(2, burst.Creating);
        Assert.Equal(2, Pods.MostStartingAtOnce(Pool));

        var served = (await LaunchUntilDone(acquiring)).OfType<PodLease>().ToList();
        Assert.NotEmpty(served);
        Assert.True(served.Count <= 8);
        Assert.Equal(2, Pods.MostStartingAtOnce(Pool));

        // Three of the sessions vanish with their pods; the others end.
        var vanished = served.Take(3).ToList();
        foreach (var pod in served.Skip(3))
        {
            await pool.Release(pod);
        }

        for (var round = 0; round < 5 && (await pool.GetStatus()).Ready < 1; round++)
        {
            fixture.Time.Advance(Launch);
            await Eventually.Until(async () => (await pool.GetStatus()).Ready >= 1, 2);
        }

        var refilled = await pool.GetStatus();
        Assert.True(Live(Pool) <= 8, $"{Live(Pool)} live pods");
        Assert.True(refilled.Ready >= 1, $"{refilled}");

        // A session now finds a warm pod.
        var hit = await pool.Acquire(SessionIds.New());
        Assert.NotNull(hit);
        Assert.Equal(refilled.Hits + 1, (await pool.GetStatus()).Hits);

        // Nobody claims the vanished sessions' pods nor the last one handed out: after the claim timeout the sweep asks
        // their sessions, hears no, and deletes them. What is left at the provider is exactly the warm pods.
        fixture.Time.Advance(TimeSpan.FromMinutes(4));
        await pool.Sweep();
        var inventory = await pool.GetInventory();
        Assert.Empty(inventory.AssignedToSession);
        Assert.All(vanished.Append(hit), pod => Assert.Contains(pod.PodId, Pods.Deleted));
        Assert.Equal(inventory.Ready.Order(), Pods.Live.Values.Where(pod => pod.NodePool == Pool).Select(pod => pod.PodId).Order());
        Assert.Equal(0, Pods.Starting(Pool));
    }

    [Fact]
    public async Task Warm_pods_beyond_the_target_are_deleted_after_waiting_unused_for_the_idle_period_oldest_first()
    {
        // idle: MinWarm 1, MaxWarm 6, MaxParallelStarts 8, ShrinkAfterIdleSeconds 60.
        const string Pool = "idle";
        var pool = Grains.GetGrain<IPodPoolGrain>(Pool);
        Pods.CreationsTake(Pool, Launch, fixture.Time);

        var acquiring = Enumerable.Range(0, 10).Select(_ => pool.Acquire(SessionIds.New())).ToList();
        await Eventually.Until(async () => (await pool.GetStatus()).Misses == 10 && Pods.Starting(Pool) >= 8);
        var served = (await LaunchUntilDone(acquiring)).OfType<PodLease>().ToList();
        foreach (var pod in served)
        {
            await pool.Release(pod);
        }

        // The warm pods demand asked for start, and finish.
        for (var round = 0; round < 3 && (await pool.GetStatus()).Creating > 0 || round == 0; round++)
        {
            await Eventually.Until(async () => Pods.Starting(Pool) == (await pool.GetStatus()).Creating, 10);
            fixture.Time.Advance(Launch);
            await pool.Warm();
        }

        await Eventually.Until(async () => (await pool.GetStatus()).Creating == 0, 10);
        var busy = await pool.GetStatus();
        var warmOldestFirst = (await pool.GetInventory()).Ready;
        Assert.True(busy.Ready > 1, $"{busy}");

        // Demand is gone: the target falls to the minimum at once, but pods are only deleted once they waited unused long enough.
        fixture.Time.Advance(TimeSpan.FromSeconds(30));
        await pool.Warm();
        var quiet = await pool.GetStatus();
        Assert.Equal((1, "min_warm", busy.Ready, 0L), (quiet.WarmTarget, quiet.TargetLimitedBy, quiet.Ready, quiet.Trimmed - busy.Trimmed));

        fixture.Time.Advance(TimeSpan.FromSeconds(35));
        await pool.Warm();
        var shrunk = await pool.GetStatus();
        var left = (await pool.GetInventory()).Ready;

        Assert.Equal(1, shrunk.Ready);
        Assert.Equal(busy.Ready - 1, shrunk.Trimmed - busy.Trimmed);
        Assert.Equal([warmOldestFirst[^1]], left);
        // Deletions run off the grain's turn (on the thread pool), so the trim answers before the provider has done them.
        await Eventually.Until(() => Task.FromResult(warmOldestFirst.Take(warmOldestFirst.Count - 1).All(Pods.Deleted.Contains)), 10);
        Assert.All(warmOldestFirst.Take(warmOldestFirst.Count - 1), id => Assert.Contains(id, Pods.Deleted));
        Assert.Equal(left, Pods.Live.Values.Where(pod => pod.NodePool == Pool).Select(pod => pod.PodId).ToList());
    }

    [Fact]
    public async Task The_machines_memory_caps_the_warm_pods_even_below_the_minimum()
    {
        // tight: MinWarm 5; the machine holds three of its pods.
        const string Pool = "tight";
        var pool = Grains.GetGrain<IPodPoolGrain>(Pool);
        fixture.PodCapacity.MachineHolds(Pool, 3);

        await pool.Warm();
        await Eventually.Until(async () => (await pool.GetStatus()).Ready == 3);
        await pool.Warm();
        var capped = await pool.GetStatus();

        Assert.Equal((3, 3, 0, "memory"), (capped.Ready, capped.WarmTarget, capped.Creating, capped.TargetLimitedBy));
        Assert.Equal(3, Live(Pool));

        fixture.PodCapacity.MachineHolds(Pool, 10);
        await pool.Warm();
        await Eventually.Until(async () => (await pool.GetStatus()).Ready == 5);
        var roomy = await pool.GetStatus();
        Assert.Equal((5, 5, "min_warm"), (roomy.Ready, roomy.WarmTarget, roomy.TargetLimitedBy));
        Assert.Equal(5, Live(Pool));
    }

    [Fact]
    public async Task A_session_that_stops_waiting_for_a_warm_pod_under_way_leaves_it_warm_for_the_next()
    {
        // late: MinWarm 1, MaxPods 5; the acquire timeout is 2 s (real) in these tests.
        const string Pool = "late";
        var pool = Grains.GetGrain<IPodPoolGrain>(Pool);
        Pods.CreationsTake(Pool, Launch, fixture.Time);
        await pool.Warm();
        await Eventually.Until(() => Task.FromResult(Pods.Starting(Pool) == 1));

        var gaveUp = await pool.Acquire(SessionIds.New());
        var waited = await pool.GetStatus();
        fixture.Time.Advance(Launch);
        await Eventually.Until(async () => await pool.GetStatus() is { Creating: 0, Ready: > 0 });
        var after = await pool.GetStatus();
        var next = await pool.Acquire(SessionIds.New());

        Assert.Null(gaveUp);
        Assert.Equal((1L, 0L, 0), (waited.Misses, waited.Refused, waited.Waiting));
        // The pod it waited for, and the one started to replace it while it was promised, are both warm and nobody's.
        Assert.Equal((2, 0, 2), (after.Ready, after.Assigned, Live(Pool)));
        Assert.NotNull(next);
        Assert.Equal(1L, (await pool.GetStatus()).Hits);
        Assert.DoesNotContain(Pods.Deleted, id => id.Contains("-late-", StringComparison.Ordinal));
    }

    /// <summary>Moves the clock a launch at a time until every acquisition has its answer (launches finish when it moves).</summary>
    private async Task<PodLease?[]> LaunchUntilDone(List<Task<PodLease?>> acquiring)
    {
        var all = Task.WhenAll(acquiring);
        while (!all.IsCompleted)
        {
            fixture.Time.Advance(Launch);
            await Task.WhenAny(all, Task.Delay(100));
        }

        return await all;
    }

    [Fact]
    public async Task A_hand_out_is_replaced_after_the_refill_delay_while_a_warm_pod_remains_and_at_once_when_it_took_the_last()
    {
        // handout: two warm pods at most and at least, RefillDelayMilliseconds 3000 (real time).
        const string Pool = "handout";
        var pool = Grains.GetGrain<IPodPoolGrain>(Pool);
        await pool.Warm();
        await Eventually.Until(async () => await pool.GetStatus() is { Ready: 2, Creating: 0 });
        var before = Pods.CreationsBegun(Pool);

        // One warm pod is left for the next session: the replacement waits, so nothing launches beside the customer's first steps.
        Assert.NotNull(await pool.Acquire(SessionIds.New()));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(before, Pods.CreationsBegun(Pool));
        Assert.Equal(1, (await pool.GetStatus()).Ready);

        // ...and starts once the delay has passed.
        await Eventually.Until(async () => Pods.CreationsBegun(Pool) == before + 1 && await pool.GetStatus() is { Ready: 2 }, 20);

        // Two sessions in a row: the second takes the last warm pod, and the pool refills at once (the first one's delayed
        // refill, when it comes, finds the pool at its target and launches nothing more).
        before = Pods.CreationsBegun(Pool);
        Assert.NotNull(await pool.Acquire(SessionIds.New()));
        Assert.NotNull(await pool.Acquire(SessionIds.New()));
        var refilledAt = await Eventually.Until(() => Task.FromResult(Pods.CreationsBegun(Pool) == before + 2), 20);
        Assert.True(refilledAt < TimeSpan.FromSeconds(2), $"the refill came {refilledAt} after the last warm pod was taken");
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        Assert.Equal(before + 2, Pods.CreationsBegun(Pool));
        Assert.Equal(2, (await pool.GetStatus()).Ready);
    }
}
