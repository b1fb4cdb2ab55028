using UFBrowsers.Grains.Pods;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>Which of this provider's browsers are alive: the liveness seam, kept apart from how browsers are started and fenced.</summary>
public sealed partial class LocalChromiumPodProvider
{
    /// <summary>
    /// The ready pods of the pool whose processes this provider started and none of which has exited. A pod of an earlier
    /// process (this silo was killed) is never listed: its browser was killed by this provider's start, or will be.
    /// </summary>
    public Task<IReadOnlyList<LivePod>> ListAliveAsync(string nodePool, CancellationToken cancellationToken)
    {
        IReadOnlyList<LivePod> alive = _pods.Values
            .Where(pod => pod.NodePool == nodePool && pod.Lease is not null && IsRunning(pod))
            .Select(pod => new LivePod(pod.Id))
            .ToList();
        return Task.FromResult(alive);
    }

    /// <summary>A pod is alive while none of its processes (browser, network, bridge) has exited and it is not being destroyed.</summary>
    private static bool IsRunning(LocalChromiumPod pod) =>
        !pod.IsEnding && pod.Processes is { Count: > 0 } processes && processes.All(process => !process.HasExited);
}
