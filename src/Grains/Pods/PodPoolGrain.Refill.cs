using Microsoft.Extensions.Logging;
using UFBrowsers.Grains.Telemetry;
using UFBrowsers.Pods;

namespace UFBrowsers.Grains.Pods;

/// <summary>The warm target, the refills toward it and the launches and deletions they make.</summary>
public sealed partial class PodPoolGrain
{
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
