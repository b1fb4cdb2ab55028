using UFBrowsers.Pods;

namespace UFBrowsers.Api.Contracts;

/// <summary>How much capacity is left: per node pool, and the requests waiting for a browser.</summary>
public sealed record PressureResponse(IReadOnlyList<NodePoolPressure> NodePools, int QueueLength, DateTimeOffset At);

/// <summary>
/// One node pool's capacity. <see cref="FreeSlots"/> is how many more sessions it can take now
/// (its pod limit less the pods serving sessions); <see cref="Ready"/> of those start instantly.
/// </summary>
public sealed record NodePoolPressure(string Name, int FreeSlots, int Ready, int Creating, int Assigned, int MaxPods, int WarmTarget)
{
    public static NodePoolPressure From(PodPoolStatus status, int maxPods) => new(
        status.NodePool, Math.Max(0, maxPods - status.Assigned), status.Ready, status.Creating, status.Assigned, maxPods, status.WarmTarget);
}
