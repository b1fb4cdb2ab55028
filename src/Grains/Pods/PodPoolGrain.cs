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
/// Nothing here is persisted: the sessions are the record of which pod serves whom (each keeps its lease in its state).
/// Every running session asks this grain about its pod at least every liveness interval, and each question is a claim on
/// the pod; so a pool that moved to another silo knows its assigned pods again within one interval. The sweep deletes
/// live pods that nobody claims for <see cref="PodPoolOptions.ClaimTimeoutSeconds"/>, after asking their session when it
/// is known (a session that gave up on a start, or ended without releasing its pod, says no).
/// </remarks>
[Reentrant]
public sealed class PodPoolGrain(
    IPodProvider provider,
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

    private readonly LinkedList<PodLease> _ready = new();
    private readonly Dictionary<string, LinkedListNode<PodLease>> _readyById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PodClaim> _assigned = new(StringComparer.Ordinal);

    /// <summary>Live pods this activation knows nothing about, since when it has seen them unclaimed.</summary>
    private readonly Dictionary<string, DateTimeOffset> _unclaimedSince = new(StringComparer.Ordinal);
    private LivePodListing? _listing;
    private int _creating;
    private int _waiting;
    private long _hits;
    private long _misses;
    private NodePoolOptions _pool = new();

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
        var warm = _ready.ToList();
        _ready.Clear();
        _readyById.Clear();
        ReadyChanged();
        foreach (var pod in warm)
        {
            await DeletePod(pod);
        }
    }

    public async Task<PodLease?> Acquire(string sessionId, string? customerId = null)
    {
        var assignment = new PodAssignment(sessionId, customerId, customerId is null ? null : TenantNamespace.For(customerId));
        var timeout = TimeSpan.FromSeconds(Options.AcquireTimeoutSeconds);
        if (_ready.First is { } first)
        {
            var pod = first.Value;
            _ready.RemoveFirst();
            _readyById.Remove(pod.PodId);
            _assigned[pod.PodId] = new PodClaim(pod, sessionId, clock.GetUtcNow());
            _hits++;
            metrics.PoolHit(NodePool);
            ReadyChanged();
            Refill();
            await Assign(pod, assignment, timeout);
            return pod;
        }

        _misses++;
        metrics.PoolMiss(NodePool);
        if (Total >= _pool.MaxPods)
        {
            logger.LogWarning("Pool {NodePool} is at its limit of {MaxPods} pods", NodePool, _pool.MaxPods);
            return null;
        }

        // The start is cancelled at the timeout, and the caller answered soon after even if the provider ignores that:
        // the session's call must end before Orleans gives up on it, or a pod would be made for a session that left.
        var cancel = new CancellationTokenSource(timeout);
        var creation = CreatePod(assignment, cancel.Token);
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
            await DeletePod(node.Value);
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
            _ready.Select(pod => pod.PodId).ToList(),
            _assigned.ToDictionary(entry => entry.Key, entry => entry.Value.SessionId, StringComparer.Ordinal)));

    public Task<PodPoolStatus> GetStatus() =>
        Task.FromResult(new PodPoolStatus(NodePool, _pool.WarmTarget, _ready.Count, _creating, _assigned.Count, _hits, _misses, _waiting));

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

    private int Total => _ready.Count + _creating + _assigned.Count;

    private void Refill()
    {
        while (_ready.Count + _creating < _pool.WarmTarget && Total < _pool.MaxPods)
        {
            _ = AddWarmPod();
        }
    }

    private async Task AddWarmPod()
    {
        var pod = await CreatePod(null, CancellationToken.None);
        if (pod is not null)
        {
            _readyById[pod.PodId] = _ready.AddLast(pod);
            ReadyChanged();
        }
    }

    private async Task<PodLease?> CreatePod(PodAssignment? assignment, CancellationToken cancellationToken)
    {
        _creating++;
        try
        {
            return await provider.CreateAsync(NodePool, cancellationToken, assignment);
        }
        catch (Exception ex)
        {
            // The refill timer tries again; the caller that needed this pod gets none.
            logger.LogError(ex, "Pool {NodePool} could not create a pod", NodePool);
            return null;
        }
        finally
        {
            _creating--;
        }
    }

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
            await provider.DeleteAsync(pod, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Pool {NodePool} could not delete pod {PodId}", NodePool, pod.PodId);
        }
    }
}
