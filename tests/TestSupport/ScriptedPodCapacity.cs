using System.Collections.Concurrent;
using UFBrowsers.Grains.Pods;

namespace UFBrowsers.TestSupport;

/// <summary>
/// A machine that holds a set number of a pool's pods: the room left is that number less the pool's live pods at the
/// fake provider, as available memory shrinks with each browser that runs. Pools it is not told about are unbounded.
/// </summary>
public sealed class ScriptedPodCapacity(FakePodProvider pods) : IPodCapacity
{
    private readonly ConcurrentDictionary<string, int> _holds = new(StringComparer.Ordinal);

    public void MachineHolds(string nodePool, int pods) => _holds[nodePool] = pods;

    public int? Room(string nodePool) =>
        _holds.TryGetValue(nodePool, out var holds) ? Math.Max(0, holds - pods.Live.Values.Count(pod => pod.NodePool == nodePool)) : null;
}
