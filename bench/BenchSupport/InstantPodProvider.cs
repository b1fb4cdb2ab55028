using System.Collections.Concurrent;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Pods;

namespace UFBrowsers.BenchSupport;

/// <summary>
/// Pods that exist only as leases, created at once; only their ids are kept, so that listings can say which are alive.
/// It stands for a provider whose browsers live outside the silo (Kubernetes), so that a benchmark measures the control
/// plane and not the fake.
/// </summary>
public sealed class InstantPodProvider : IPodProvider
{
    private readonly ConcurrentDictionary<string, string> _alive = new(StringComparer.Ordinal);
    private long _sequence;

    public Task<PodLease> CreateAsync(string nodePool, CancellationToken cancellationToken, PodAssignment? assignment = null)
    {
        var id = "instant-" + Interlocked.Increment(ref _sequence).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _alive[id] = nodePool;
        return Task.FromResult(new PodLease(id, nodePool, $"ws://127.0.0.1:9/devtools/browser/{id}", "http://127.0.0.1:9"));
    }

    public Task AssignAsync(PodLease pod, PodAssignment assignment, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task DeleteAsync(PodLease pod, CancellationToken cancellationToken)
    {
        _alive.TryRemove(pod.PodId, out _);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<LivePod>> ListAliveAsync(string nodePool, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LivePod>>(_alive.Where(pod => pod.Value == nodePool).Select(pod => new LivePod(pod.Key)).ToList());
}
