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
/// and the machine's memory). The pool refills toward it whenever it hands out (after
/// <see cref="NodePoolOptions.RefillDelayMilliseconds"/> while another warm pod is ready), gets back or finishes starting a
/// pod, and on a timer, starting at most <see cref="NodePoolOptions.MaxParallelStarts"/> pods at once; warm pods beyond the target
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
public sealed partial class PodPoolGrain(
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

    private static string ToSnake(WarmTargetLimit limit) => limit switch
    {
        WarmTargetLimit.Demand => "demand",
        WarmTargetLimit.MinWarm => "min_warm",
        WarmTargetLimit.MaxWarm => "max_warm",
        WarmTargetLimit.MaxPods => "max_pods",
        WarmTargetLimit.Memory => "memory",
        _ => limit.ToString(),
    };
}
