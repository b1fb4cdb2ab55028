using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using UFBrowsers.Grains.Telemetry;
using UFBrowsers.Grains.Customers;
using UFBrowsers.Pods;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Pods;

/// <summary>
/// Keeps a node pool's warm browsers. Reentrant so that slow pod starts never block a hand-out: every
/// change to the collections below happens between awaits, so each stays consistent on its own.
/// The pool's pods live as long as this silo's provider; nothing here is persisted.
/// </summary>
[Reentrant]
public sealed class PodPoolGrain(
    IPodProvider provider,
    IOptions<PodPoolOptions> options,
    UFBrowsersMetrics metrics,
    ILogger<PodPoolGrain> logger) : Grain, IPodPoolGrain, IRemindable
{
    /// <summary>Brings the pool back (on another silo if need be) and refills it after the silo that held it is gone.</summary>
    private const string RefillReminder = "refill";

    private static readonly TimeSpan RefillInterval = TimeSpan.FromSeconds(5);

    private readonly LinkedList<PodLease> _ready = new();
    private readonly Dictionary<string, LinkedListNode<PodLease>> _readyById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (PodLease Pod, string SessionId)> _assigned = new(StringComparer.Ordinal);
    private int _creating;
    private int _waiting;
    private long _hits;
    private long _misses;
    private NodePoolOptions _pool = new();

    private string NodePool => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.EffectivePools().TryGetValue(NodePool, out var pool))
        {
            throw new InvalidOperationException($"Node pool '{NodePool}' is not configured.");
        }

        _pool = pool;
        this.RegisterGrainTimer(
            _ => { Refill(); return Task.CompletedTask; },
            new GrainTimerCreationOptions { DueTime = RefillInterval, Period = RefillInterval, KeepAlive = true });
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
        if (_ready.First is { } first)
        {
            var pod = first.Value;
            _ready.RemoveFirst();
            _readyById.Remove(pod.PodId);
            _assigned[pod.PodId] = (pod, sessionId);
            _hits++;
            metrics.PoolHit(NodePool);
            ReadyChanged();
            Refill();
            await Assign(pod, assignment);
            return pod;
        }

        _misses++;
        metrics.PoolMiss(NodePool);
        if (Total >= _pool.MaxPods)
        {
            logger.LogWarning("Pool {NodePool} is at its limit of {MaxPods} pods", NodePool, _pool.MaxPods);
            return null;
        }

        _waiting++;
        PodLease? created;
        try
        {
            created = await CreatePod(assignment);
        }
        finally
        {
            _waiting--;
        }

        if (created is not null)
        {
            _assigned[created.PodId] = (created, sessionId);
        }

        Refill();
        return created;
    }

    public async Task Release(string podId)
    {
        if (_assigned.Remove(podId, out var assignment))
        {
            await DeletePod(assignment.Pod);
        }

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
        else if (_assigned.Remove(podId, out var assignment))
        {
            logger.LogWarning("Pod {PodId} of session {SessionId} died", podId, assignment.SessionId);
            await DeletePod(assignment.Pod);
            await GrainFactory.For<ISessionGrain>(assignment.SessionId).End(EndReason.PodFailed);
        }

        Refill();
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
        var pod = await CreatePod();
        if (pod is not null)
        {
            _readyById[pod.PodId] = _ready.AddLast(pod);
            ReadyChanged();
        }
    }

    private async Task<PodLease?> CreatePod(PodAssignment? assignment = null)
    {
        _creating++;
        try
        {
            return await provider.CreateAsync(NodePool, CancellationToken.None, assignment);
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

    private async Task Assign(PodLease pod, PodAssignment assignment)
    {
        try
        {
            await provider.AssignAsync(pod, assignment, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The pod still serves its session; the reconciler finds it through this pool's inventory instead of its labels.
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
