using System.Collections.Concurrent;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Pods;
using UFBrowsers.TestSupport.Faults;

namespace UFBrowsers.TestSupport;

/// <summary>
/// Instant pods that record what happened to them; can be told to fail a pool's next creations, or to lose a pod
/// without a word (as a browser goes when the process that ran it is killed).
/// </summary>
public sealed class FakePodProvider : IPodProvider
{
    private readonly ConcurrentDictionary<string, int> _failuresToInject = new();
    private readonly ConcurrentDictionary<string, (TimeSpan Duration, TimeProvider Clock)> _creationTimes = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _creationGates = new();
    private readonly ConcurrentDictionary<string, StartCounts> _starting = new();
    private int _sequence;

    public ConcurrentDictionary<string, PodLease> Live { get; } = new();

    public ConcurrentBag<string> Deleted { get; } = [];

    /// <summary>When each pod was made and when it stopped living (deleted, lost, or killed with its silo), by <see cref="Clock"/>.</summary>
    public ConcurrentDictionary<string, (DateTimeOffset Created, DateTimeOffset? Ended)> Lifetimes { get; } = new();

    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public void FailNextCreations(string nodePool, int count) => _failuresToInject[nodePool] = count;

    /// <summary>Every creation of the pool takes <paramref name="duration"/> on <paramref name="clock"/> (a fake clock: until the test moves it).</summary>
    public void CreationsTake(string nodePool, TimeSpan duration, TimeProvider clock) => _creationTimes[nodePool] = (duration, clock);

    /// <summary>Creations of the pool wait, from now, until <see cref="ReleaseCreations"/>: launches as slow as the test wants.</summary>
    public void HoldCreations(string nodePool) =>
        _creationGates.AddOrUpdate(nodePool, _ => NewGate(), (_, gate) => gate.Task.IsCompleted ? NewGate() : gate);

    public void ReleaseCreations(string nodePool)
    {
        if (_creationGates.TryGetValue(nodePool, out var gate))
        {
            gate.TrySetResult();
        }
    }

    /// <summary>Creations of the pool under way now.</summary>
    public int Starting(string nodePool) => _starting.TryGetValue(nodePool, out var counts) ? counts.Now : 0;

    /// <summary>The most creations of the pool under way at once since the last <see cref="ResetMostStarting"/>.</summary>
    public int MostStartingAtOnce(string nodePool) => _starting.TryGetValue(nodePool, out var counts) ? counts.Most : 0;

    public void ResetMostStarting(string nodePool)
    {
        var counts = _starting.GetOrAdd(nodePool, _ => new StartCounts());
        lock (counts)
        {
            counts.Most = counts.Now;
        }
    }

    /// <summary>Creations of the pool begun so far.</summary>
    public int CreationsBegun(string nodePool) => _starting.TryGetValue(nodePool, out var counts) ? counts.Begun : 0;

    public ConcurrentDictionary<string, PodAssignment> Assignments { get; } = new();

    /// <summary>When set, listings fail as a provider that cannot tell (an unreachable Kubernetes API) does.</summary>
    public volatile bool FailListings;

    /// <summary>Faults at pod steps (create, assign, delete). A held creation ignores cancellation, as the worst provider would.</summary>
    public FaultPlan Faults { get; set; } = new();

    /// <summary>The name faults report as where they fired (a silo's, when each silo has its own provider).</summary>
    public string Site { get; set; } = "pods";

    /// <summary>The pod disappears: no report, no deletion; only listings notice.</summary>
    public bool Lose(string podId)
    {
        MarkEnded(podId);
        return Live.TryRemove(podId, out _);
    }

    /// <summary>Every live pod dies at once, as the browsers of a local provider die with their silo's process.</summary>
    public void LoseAll()
    {
        foreach (var podId in Live.Keys)
        {
            Lose(podId);
        }
    }

    public async Task<PodLease> CreateAsync(string nodePool, CancellationToken cancellationToken, PodAssignment? assignment = null)
    {
        var counts = _starting.GetOrAdd(nodePool, _ => new StartCounts());
        lock (counts)
        {
            counts.Now++;
            counts.Begun++;
            counts.Most = Math.Max(counts.Most, counts.Now);
        }

        try
        {
            if (_creationGates.TryGetValue(nodePool, out var gate))
            {
                // A held launch ignores cancellation, as the worst provider would.
                await gate.Task;
            }

            if (_creationTimes.TryGetValue(nodePool, out var time))
            {
                await Task.Delay(time.Duration, time.Clock);
            }

            return await CreateNowAsync(nodePool, assignment);
        }
        finally
        {
            lock (counts)
            {
                counts.Now--;
            }
        }
    }

    private async Task<PodLease> CreateNowAsync(string nodePool, PodAssignment? assignment)
    {
        await Faults.BeforeAsync(FaultSteps.PodCreate, nodePool, Site);
        while (_failuresToInject.TryGetValue(nodePool, out var left) && left > 0)
        {
            if (_failuresToInject.TryUpdate(nodePool, left - 1, left))
            {
                throw new InvalidOperationException("injected pod failure");
            }
        }

        var id = $"fake-{nodePool}-{Interlocked.Increment(ref _sequence)}";
        var pod = new PodLease(id, nodePool, $"ws://127.0.0.1:9/devtools/browser/{id}", "http://127.0.0.1:9");
        Live[id] = pod;
        Lifetimes[id] = (Clock.GetUtcNow(), null);
        if (assignment is not null)
        {
            Assignments[id] = assignment;
        }

        await Faults.AfterAsync(FaultSteps.PodCreate, nodePool, Site);
        return pod;
    }

    public async Task AssignAsync(PodLease pod, PodAssignment assignment, CancellationToken cancellationToken)
    {
        Assignments[pod.PodId] = assignment;
        await Faults.AfterAsync(FaultSteps.PodAssign, assignment.SessionId, Site);
    }

    public async Task DeleteAsync(PodLease pod, CancellationToken cancellationToken)
    {
        await Faults.BeforeAsync(FaultSteps.PodDelete, pod.PodId, Site);
        if (Live.TryRemove(pod.PodId, out _))
        {
            MarkEnded(pod.PodId);
            Deleted.Add(pod.PodId);
        }
    }

    private void MarkEnded(string podId)
    {
        if (Lifetimes.TryGetValue(podId, out var lifetime) && lifetime.Ended is null)
        {
            Lifetimes[podId] = lifetime with { Ended = Clock.GetUtcNow() };
        }
    }

    public Task<IReadOnlyList<LivePod>> ListAliveAsync(string nodePool, CancellationToken cancellationToken)
    {
        if (FailListings)
        {
            throw new InvalidOperationException("injected listing failure");
        }

        IReadOnlyList<LivePod> alive = Live.Values.Where(pod => pod.NodePool == nodePool)
            .Select(pod => new LivePod(pod.PodId, Assignments.TryGetValue(pod.PodId, out var assignment) ? assignment.SessionId : null))
            .ToList();
        return Task.FromResult(alive);
    }

    private static TaskCompletionSource NewGate() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class StartCounts
    {
        public int Now;
        public int Most;
        public int Begun;
    }
}
