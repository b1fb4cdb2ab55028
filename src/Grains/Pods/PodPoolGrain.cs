using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using UFBrowsers.Grains.Telemetry;
using UFBrowsers.Grains.Customers;
using UFBrowsers.Pods;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Pods;

/// <summary>
/// Keeps a node pool's warm browsers, hands them to sessions, and answers whether a session's browser is still alive.
/// Reentrant so that slow pod starts never block a hand-out: every change to the collections below happens between
/// awaits, so each stays consistent on its own.
/// </summary>
/// <remarks>
/// The warm target follows demand (<see cref="WarmDemand"/>: arrival rate × launch time + a margin, within the pool's bounds
/// and the machine's memory). The pool refills toward it whenever it hands out, gets back or finishes starting a pod, and
/// on a timer, starting at most <see cref="NodePoolOptions.MaxParallelStarts"/> pods at once; warm pods beyond the target
/// that waited unused for <see cref="NodePoolOptions.ShrinkAfterIdleSeconds"/> are deleted, oldest first.
/// </remarks>
/// <remarks>
/// Nothing here is persisted: the sessions are the record of which pod serves whom (each keeps its lease in its state).
/// Every running session asks this grain about its pod at least every liveness interval, and each question is a claim on
/// the pod; so a pool that moved to another silo knows its assigned pods again within one interval. The sweep deletes
/// live pods that nobody claims for <see cref="PodPoolOptions.ClaimTimeoutSeconds"/>, after asking their session when it
/// is known (a session that gave up on a start, or ended without releasing its pod, says no).
/// </remarks>
[Reentrant]
public sealed class PodPoolGrain(
    IPodProvider provider,
    IEnumerable<IPodCapacity> capacities,
    IOptions<PodPoolOptions> options,
    [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock,
    UFBrowsersMetrics metrics,
    ILogger<PodPoolGrain> logger) : Grain, IPodPoolGrain, IRemindable
{
    /// <summary>Brings the pool back (on another silo if need be) and refills it after the silo that held it is gone.</summary>
    private const string RefillReminder = "refill";

    private static readonly TimeSpan RefillInterval = TimeSpan.FromSeconds(5);

    /// <summary>How much longer than the acquire timeout a provider that ignores cancellation is given before the caller is answered.</summary>
    private static readonly TimeSpan CancellationGrace = TimeSpan.FromSeconds(2);

    /// <summary>Warm pods, oldest first: handed out and trimmed from the front, added at the back.</summary>
    private readonly LinkedList<WarmPod> _ready = new();
    private readonly Dictionary<string, LinkedListNode<WarmPod>> _readyById = new(StringComparer.Ordinal);
    private readonly IPodCapacity[] _capacities = capacities.ToArray();
    private readonly Dictionary<string, PodClaim> _assigned = new(StringComparer.Ordinal);

    /// <summary>Sessions waiting for the next warm pod to finish starting, first come first served.</summary>
    private readonly LinkedList<(string SessionId, TaskCompletionSource<PodLease?> Pod)> _warmWaiters = new();

    /// <summary>Live pods this activation knows nothing about, since when it has seen them unclaimed.</summary>
    private readonly Dictionary<string, DateTimeOffset> _unclaimedSince = new(StringComparer.Ordinal);
    private LivePodListing? _listing;
    private int _startingWarm;
    private int _startingForSessions;
    private int _waiting;
    private long _hits;
    private long _misses;
    private long _refused;
    private long _trimmed;
    private NodePoolOptions _pool = new();
    private WarmDemand _demand = new(new NodePoolOptions());
    private int _reportedTarget = -1;
    private bool _refillScheduled;
    private bool _deactivating;

    private string NodePool => this.GetPrimaryKeyString();

    private PodPoolOptions Options => options.Value;

    private LivePodListing Listing => _listing ??= new LivePodListing(provider, NodePool, clock, TimeSpan.FromSeconds(Options.LivenessMaxAgeSeconds));

    private TimeSpan ClaimTimeout => TimeSpan.FromSeconds(Options.ClaimTimeoutSeconds);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!Options.EffectivePools().TryGetValue(NodePool, out var pool))
        {
            throw new InvalidOperationException($"Node pool '{NodePool}' is not configured.");
        }

        _pool = pool;
        _demand = new WarmDemand(pool);
        this.RegisterGrainTimer(
            _ => { Refill(); return Task.CompletedTask; },
            new GrainTimerCreationOptions { DueTime = RefillInterval, Period = RefillInterval, KeepAlive = true });
        var sweep = TimeSpan.FromSeconds(Options.SweepSeconds);
        this.RegisterGrainTimer(
            _ => SweepQuietly(),
            new GrainTimerCreationOptions { DueTime = sweep, Period = sweep, KeepAlive = true });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _deactivating = true;
        foreach (var (_, waiter) in _warmWaiters)
        {
            waiter.TrySetResult(null);
        }

        _warmWaiters.Clear();
        var warm = _ready.ToList();
        _ready.Clear();
        _readyById.Clear();
        ReadyChanged();
        foreach (var pod in warm)
        {
            await DeletePod(pod.Pod);
        }
    }

    public async Task<PodLease?> Acquire(string sessionId, string? customerId = null)
    {
        var assignment = new PodAssignment(sessionId, customerId, customerId is null ? null : TenantNamespace.For(customerId));
        var timeout = TimeSpan.FromSeconds(Options.AcquireTimeoutSeconds);
        _demand.Arrived(clock.GetUtcNow());
        if (_ready.First is { } first)
        {
            var pod = first.Value.Pod;
            _ready.RemoveFirst();
            _readyById.Remove(pod.PodId);
            _assigned[pod.PodId] = new PodClaim(pod, sessionId, clock.GetUtcNow());
            _hits++;
            metrics.PoolHit(NodePool);
            ReadyChanged();
            RefillAfterHandOut();
            await Assign(pod, assignment, timeout);
            return pod;
        }

        if (_startingWarm > _warmWaiters.Count)
        {
            // A miss, but a warm pod is already on its way: wait for the first one to finish rather than launch another.
            _misses++;
            metrics.PoolMiss(NodePool);
            return await AwaitWarmPod(assignment, timeout);
        }

        // Sessions already queued for a warm pod beyond those under way will each need one of the pool's pods too.
        if (Total + Math.Max(0, _warmWaiters.Count - _startingWarm) >= _pool.MaxPods)
        {
            // Not a miss: no launch was waited for. The pressure endpoint shows the pool has no free slot.
            _refused++;
            metrics.PoolRefused(NodePool);
            logger.LogWarning("Pool {NodePool} is at its limit of {MaxPods} pods", NodePool, _pool.MaxPods);
            return null;
        }

        // A miss: this session waits for a launch.
        _misses++;
        metrics.PoolMiss(NodePool);
        if (_pool.EffectiveMaxWarm > 0)
        {
            // A pool that keeps warm pods only ever launches warm ones, at most MaxParallelStarts at once: a burst of misses
            // queues for the next pods to finish instead of launching one each, which on a busy machine would slow every
            // launch down until none finishes in time.
            return await AwaitWarmPod(assignment, timeout);
        }

        // An on-demand pool (no warm pods): a pod made for this session (on Kubernetes, in its tenant's namespace).

        // The start is cancelled at the timeout, and the caller answered soon after even if the provider ignores that:
        // the session's call must end before Orleans gives up on it, or a pod would be made for a session that left.
        var cancel = new CancellationTokenSource(timeout);
        var creation = CreatePodForSession(assignment, cancel.Token);
        Refill();
        PodLease? created;
        _waiting++;
        try
        {
            created = await creation.WaitAsync(timeout + CancellationGrace);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Pool {NodePool} could not start a pod for session {SessionId} within {Timeout}", NodePool, sessionId, timeout);
            _ = DeleteWhenStarted(creation);
            return null;
        }
        finally
        {
            _waiting--;
        }

        if (created is not null)
        {
            _assigned[created.PodId] = new PodClaim(created, sessionId, clock.GetUtcNow());
        }

        Refill();
        return created;
    }

    /// <summary>Waits for the next warm pod that finishes starting (the refill starts one when a slot is free); it is this session's as soon as it does.</summary>
    private async Task<PodLease?> AwaitWarmPod(PodAssignment assignment, TimeSpan timeout)
    {
        var waiter = new TaskCompletionSource<PodLease?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var node = _warmWaiters.AddLast((assignment.SessionId, waiter));
        _waiting++;
        Refill();
        PodLease? pod;
        try
        {
            pod = await waiter.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            if (node.List is not null)
            {
                // Nothing was handed over: the pod, when it comes, is an ordinary warm pod.
                _warmWaiters.Remove(node);
                logger.LogWarning("Pool {NodePool} had no pod for session {SessionId} within {Timeout}", NodePool, assignment.SessionId, timeout);
                Refill();
                return null;
            }

            // Handed over just as the wait ended: it is this session's.
            pod = await waiter.Task;
        }
        finally
        {
            _waiting--;
        }

        if (pod is not null)
        {
            await Assign(pod, assignment, timeout);
        }

        return pod;
    }

    public async Task Release(PodLease pod)
    {
        _assigned.Remove(pod.PodId);
        _unclaimedSince.Remove(pod.PodId);
        if (_readyById.Remove(pod.PodId, out var node))
        {
            _ready.Remove(node);
            ReadyChanged();
        }

        // Deleted even when this activation does not know it (the pool moved, or the sweep forgot it): single use either way.
        await DeletePod(pod);
        Refill();
    }

    public async Task ReportPodLost(string podId)
    {
        if (_readyById.Remove(podId, out var node))
        {
            _ready.Remove(node);
            ReadyChanged();
            logger.LogWarning("Warm pod {PodId} of pool {NodePool} died before use", podId, NodePool);
            await DeletePod(node.Value.Pod);
        }
        else if (_assigned.Remove(podId, out var claim))
        {
            logger.LogWarning("Pod {PodId} of session {SessionId} died", podId, claim.SessionId);
            await DeletePod(claim.Pod);
            await GrainFactory.For<ISessionGrain>(claim.SessionId).PodFailed(podId);
        }

        Refill();
    }

    public async Task<PodCheck> CheckPod(string sessionId, PodLease pod, DateTimeOffset since)
    {
        var listing = await Listing.GetAsync(since);
        if (listing.Pods.ContainsKey(pod.PodId))
        {
            if (!_readyById.ContainsKey(pod.PodId))
            {
                _assigned[pod.PodId] = new PodClaim(pod, sessionId, clock.GetUtcNow());
                _unclaimedSince.Remove(pod.PodId);
            }

            return new PodCheck(true, listing.TakenAt);
        }

        if (_assigned.TryGetValue(pod.PodId, out var claim) && claim.SessionId == sessionId)
        {
            _assigned.Remove(pod.PodId);
        }

        return new PodCheck(false, listing.TakenAt);
    }

    /// <summary>Refills (and trims) the pool now, and keeps the reminder that brings it back after its silo dies.</summary>
    public async Task Warm()
    {
        Refill();
        await this.RegisterOrUpdateReminder(RefillReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Refill();
        return Task.CompletedTask;
    }

    public Task<PodPoolInventory> GetInventory() =>
        Task.FromResult(new PodPoolInventory(
            NodePool,
            _ready.Select(warm => warm.Pod.PodId).ToList(),
            _assigned.ToDictionary(entry => entry.Key, entry => entry.Value.SessionId, StringComparer.Ordinal)));

    public Task<PodPoolStatus> GetStatus()
    {
        var target = Target();
        return Task.FromResult(new PodPoolStatus(
            NodePool, target.Pods, _ready.Count, Starting, _assigned.Count, _hits, _misses, _waiting,
            _pool.MinWarm, _pool.EffectiveMaxWarm, _pool.MaxPods, ToSnake(target.LimitedBy), target.Wanted,
            Math.Round(target.ArrivalsPerSecond, 3), Math.Round(target.LaunchSeconds, 3), _refused, _trimmed));
    }

    public async Task<PodSweepReport> Sweep()
    {
        // What this activation knew before the listing began: a pod made or handed out during the listing may be missing from it.
        var startedAt = clock.GetUtcNow();
        var readyBefore = _readyById.Keys.ToList();
        var assignedBefore = _assigned.Keys.ToList();
        var listing = await Listing.GetAsync(startedAt);

        var gone = new List<string>();
        foreach (var podId in readyBefore.Where(id => !listing.Pods.ContainsKey(id)))
        {
            if (_readyById.Remove(podId, out var node))
            {
                _ready.Remove(node);
                gone.Add(podId);
                logger.LogWarning("Warm pod {PodId} of pool {NodePool} is gone", podId, NodePool);
            }
        }

        foreach (var podId in assignedBefore.Where(id => !listing.Pods.ContainsKey(id)))
        {
            // Its session finds out at its next check and ends as pod_lost.
            if (_assigned.Remove(podId))
            {
                gone.Add(podId);
            }
        }

        if (gone.Count > 0)
        {
            ReadyChanged();
        }

        foreach (var podId in _unclaimedSince.Keys.Where(id => !listing.Pods.ContainsKey(id)).ToList())
        {
            _unclaimedSince.Remove(podId);
        }

        var deleted = new List<string>();
        foreach (var live in listing.Pods.Values)
        {
            if (await DeleteIfUnclaimed(live))
            {
                deleted.Add(live.PodId);
            }
        }

        if (deleted.Count + gone.Count > 0)
        {
            logger.LogInformation("Pool {NodePool} sweep: {Alive} pods alive, {Deleted} deleted as unclaimed, {Gone} known pods gone",
                NodePool, listing.Pods.Count, deleted.Count, gone.Count);
        }

        Refill();
        return new PodSweepReport(listing.Pods.Count, deleted, gone);
    }

    private async Task SweepQuietly()
    {
        try
        {
            await Sweep();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Pool {NodePool} could not sweep its pods; trying again in {Seconds} s", NodePool, Options.SweepSeconds);
        }
    }

    /// <summary>Deletes a live pod that is not warm and that no session has claimed for the claim timeout, unless its session says it holds it.</summary>
    private async Task<bool> DeleteIfUnclaimed(LivePod live)
    {
        var now = clock.GetUtcNow();
        if (_readyById.ContainsKey(live.PodId))
        {
            return false;
        }

        string? sessionId;
        PodLease pod;
        if (_assigned.TryGetValue(live.PodId, out var claim))
        {
            if (now - claim.ClaimedAt < ClaimTimeout)
            {
                return false;
            }

            (sessionId, pod) = (claim.SessionId, claim.Pod);
        }
        else
        {
            if (!_unclaimedSince.TryGetValue(live.PodId, out var since))
            {
                _unclaimedSince[live.PodId] = since = now;
            }

            if (now - since < ClaimTimeout)
            {
                return false;
            }

            (sessionId, pod) = (live.SessionId, new PodLease(live.PodId, NodePool, "", ""));
        }

        if (sessionId is not null)
        {
            bool holds;
            try
            {
                // Wakes the session if need be; an active session holding this pod claims it again.
                holds = await GrainFactory.For<ISessionGrain>(sessionId).HoldsPod(live.PodId);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Pool {NodePool} could not ask session {SessionId} about pod {PodId}; asking again at the next sweep", NodePool, sessionId, live.PodId);
                return false;
            }

            if (holds)
            {
                _assigned[live.PodId] = new PodClaim(pod, sessionId, clock.GetUtcNow());
                _unclaimedSince.Remove(live.PodId);
                return false;
            }
        }

        // Claimed or handed out while the session was asked: keep it.
        if (_readyById.ContainsKey(live.PodId) || (_assigned.TryGetValue(live.PodId, out var latest) && clock.GetUtcNow() - latest.ClaimedAt < ClaimTimeout))
        {
            return false;
        }

        logger.LogWarning("Deleting pod {PodId} of pool {NodePool}: no session has claimed it for {Timeout}", live.PodId, NodePool, ClaimTimeout);
        _assigned.Remove(live.PodId);
        _unclaimedSince.Remove(live.PodId);
        await DeletePod(pod);
        return true;
    }

    private void ReadyChanged() => metrics.PodsReady(NodePool, _ready.Count);

    private void StartingChanged() => metrics.PodsStarting(NodePool, Starting);

    private int Starting => _startingWarm + _startingForSessions;

    private int Total => _ready.Count + Starting + _assigned.Count;

    private int ParallelStarts => Math.Max(1, _pool.MaxParallelStarts
        ?? _capacities.Select(capacity => capacity.ParallelStarts(NodePool)).FirstOrDefault(hint => hint is not null)
        ?? NodePoolOptions.DefaultMaxParallelStarts);

    /// <summary>Warm pods ready or starting that no waiting session has been promised.</summary>
    private int WarmOnTheWay => _ready.Count + _startingWarm - _warmWaiters.Count;

    /// <summary>The warm target now, from demand and the room the pool's limit and the machine leave.</summary>
    private WarmTargetReading Target()
    {
        // Pods serving or being made for sessions come first; warm pods get what is left of MaxPods.
        var podsFree = _pool.MaxPods - _assigned.Count - _startingForSessions - _warmWaiters.Count;
        int? memoryFree = null;
        foreach (var capacity in _capacities)
        {
            if (capacity.Room(NodePool) is { } room)
            {
                // The machine's available memory already counts the warm pods that run; a pod still starting does not show yet.
                var warm = WarmOnTheWay + Math.Max(0, room - Starting);
                memoryFree = memoryFree is { } other ? Math.Min(other, warm) : warm;
            }
        }

        return _demand.Target(clock.GetUtcNow(), podsFree, memoryFree);
    }

    /// <summary>
    /// The refill after a hand-out: <see cref="NodePoolOptions.RefillDelayMilliseconds"/> later while another warm pod is
    /// ready for the next session, so the launch does not share the machine with the customer's first steps; at once when
    /// the pool has no warm pod left.
    /// </summary>
    private void RefillAfterHandOut()
    {
        if (_pool.RefillDelayMilliseconds <= 0 || _ready.First is null)
        {
            Refill();
            return;
        }

        if (!_refillScheduled)
        {
            _refillScheduled = true;
            _ = RefillLaterAsync(TimeSpan.FromMilliseconds(_pool.RefillDelayMilliseconds));
        }
    }

    private async Task RefillLaterAsync(TimeSpan delay)
    {
        // Real time, not the grain's clock: this only spaces work out on the machine.
        await Task.Delay(delay);
        _refillScheduled = false;
        if (!_deactivating)
        {
            Refill();
        }
    }

    /// <summary>Starts warm pods up to the target (a few at a time), and deletes warm pods beyond it that waited too long unused.</summary>
    private void Refill()
    {
        var target = Target();
        if (target.Pods != _reportedTarget)
        {
            _reportedTarget = target.Pods;
            metrics.PoolTarget(NodePool, target.Pods);
        }

        while (WarmOnTheWay < target.Pods && Total < _pool.MaxPods && Starting < ParallelStarts)
        {
            _ = AddWarmPod();
        }

        Trim(target.Pods);
    }

    private void Trim(int target)
    {
        var now = clock.GetUtcNow();
        var idle = TimeSpan.FromSeconds(_pool.ShrinkAfterIdleSeconds);
        var excess = WarmOnTheWay - target;
        while (excess-- > 0 && _ready.First is { } oldest && now - oldest.Value.ReadyAt >= idle)
        {
            _ready.RemoveFirst();
            _readyById.Remove(oldest.Value.Pod.PodId);
            _trimmed++;
            metrics.PoolTrimmed(NodePool);
            ReadyChanged();
            logger.LogInformation("Pool {NodePool} deletes warm pod {PodId}: unused for {Idle}, beyond its target of {Target}", NodePool, oldest.Value.Pod.PodId, now - oldest.Value.ReadyAt, target);
            _ = DeletePod(oldest.Value.Pod);
        }
    }

    private async Task AddWarmPod()
    {
        _startingWarm++;
        StartingChanged();
        PodLease? pod;
        try
        {
            pod = await Launch(null, CancellationToken.None);
        }
        finally
        {
            _startingWarm--;
            StartingChanged();
        }

        if (pod is null)
        {
            // Fewer warm pods are on their way than sessions wait for: the last to come gets none (its start is refunded).
            if (_warmWaiters.Count > _startingWarm && _warmWaiters.Last is { } last)
            {
                _warmWaiters.RemoveLast();
                last.Value.Pod.TrySetResult(null);
            }

            // The refill timer tries again, so a failing provider is not hammered.
            return;
        }

        if (_warmWaiters.First is { } waiter)
        {
            _warmWaiters.RemoveFirst();
            _assigned[pod.PodId] = new PodClaim(pod, waiter.Value.SessionId, clock.GetUtcNow());
            waiter.Value.Pod.TrySetResult(pod);
        }
        else
        {
            _readyById[pod.PodId] = _ready.AddLast(new WarmPod(pod, clock.GetUtcNow()));
            ReadyChanged();
        }

        // Keeps the pipeline full.
        Refill();
    }

    private async Task<PodLease?> CreatePodForSession(PodAssignment assignment, CancellationToken cancellationToken)
    {
        _startingForSessions++;
        StartingChanged();
        try
        {
            return await Launch(assignment, cancellationToken);
        }
        finally
        {
            _startingForSessions--;
            StartingChanged();
        }
    }

    private async Task<PodLease?> Launch(PodAssignment? assignment, CancellationToken cancellationToken)
    {
        using var span = UFBrowsersTracing.Start(UFBrowsersTracing.Spans.PodLaunch);
        var started = clock.GetTimestamp();
        try
        {
            // On the thread pool: a launch's own steps (spawning processes, polling for DevTools, the warm-up's messages)
            // would otherwise each take a turn of this grain, and sessions' acquisitions would queue behind them.
            var nodePool = NodePool;
            var pod = await Task.Run(() => provider.CreateAsync(nodePool, cancellationToken, assignment), CancellationToken.None);
            var took = clock.GetElapsedTime(started);
            _demand.Launched(took);
            metrics.PodLaunched(NodePool, took);
            return pod;
        }
        catch (Exception ex)
        {
            // The refill timer tries again; the caller that needed this pod gets none.
            logger.LogError(ex, "Pool {NodePool} could not create a pod", NodePool);
            return null;
        }
    }

    private static string ToSnake(WarmTargetLimit limit) => limit switch
    {
        WarmTargetLimit.Demand => "demand",
        WarmTargetLimit.MinWarm => "min_warm",
        WarmTargetLimit.MaxWarm => "max_warm",
        WarmTargetLimit.MaxPods => "max_pods",
        WarmTargetLimit.Memory => "memory",
        _ => limit.ToString(),
    };

    /// <summary>A pod whose session stopped waiting is never handed to anyone: deleted as soon as its start ends.</summary>
    private async Task DeleteWhenStarted(Task<PodLease?> creation)
    {
        if (await creation is { } pod)
        {
            logger.LogWarning("Pod {PodId} of pool {NodePool} started after its session stopped waiting; deleting it", pod.PodId, NodePool);
            await DeletePod(pod);
        }
    }

    private async Task Assign(PodLease pod, PodAssignment assignment, TimeSpan timeout)
    {
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            await provider.AssignAsync(pod, assignment, cancel.Token);
        }
        catch (Exception ex)
        {
            // The pod still serves its session, which claims it at every check.
            logger.LogWarning(ex, "Pool {NodePool} could not mark pod {PodId} as serving session {SessionId}", NodePool, pod.PodId, assignment.SessionId);
        }
    }

    private async Task DeletePod(PodLease pod)
    {
        try
        {
            await Task.Run(() => provider.DeleteAsync(pod, CancellationToken.None), CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Pool {NodePool} could not delete pod {PodId}", NodePool, pod.PodId);
        }
    }
}
