using UFBrowsers.Pods;

namespace UFBrowsers.Api.Contracts;

/// <summary>
/// How much capacity is left and how the dependencies fare: per node pool, the requests waiting (in customers' queues for a
/// concurrency slot, and for a browser being made on demand), and PostgreSQL as last probed. This, not readiness, is where a
/// full cluster or a database blip shows.
/// </summary>
public sealed record PressureResponse(IReadOnlyList<NodePoolPressure> NodePools, int QueueLength, QueuePressure Queue, DependencyState Database, DateTimeOffset At);

/// <summary>Requests waiting: <see cref="ForConcurrency"/> in customers' queues, <see cref="ForBrowsers"/> for on-demand pods.</summary>
public sealed record QueuePressure(int ForConcurrency, int ForBrowsers);

/// <summary>A dependency as last probed: <c>up</c>, <c>down</c> or <c>not_configured</c>, and when.</summary>
public sealed record DependencyState(string Status, DateTimeOffset? CheckedAt, string? Description);

/// <summary>
/// One node pool's capacity. <see cref="FreeSlots"/> is how many more sessions it can take now
/// (its pod limit less the pods serving sessions); <see cref="Ready"/> of those start instantly.
/// <see cref="Waiting"/> session starts wait for a pod being made for them.
/// </summary>
/// <remarks>
/// How the pool sizes itself: <see cref="WarmTarget"/> warm pods (ready or being made) is what it aims for now, which is
/// <see cref="Wanted"/> (ceil(<see cref="ArrivalsPerSecond"/> × <see cref="LaunchSeconds"/>) + margin, or 0 with no demand)
/// within <see cref="MinWarm"/>..<see cref="MaxWarm"/>, what <see cref="MaxPods"/> leaves and what memory holds;
/// <see cref="TargetLimitedBy"/> says which of these set it. <see cref="Hits"/> and <see cref="Misses"/> count acquisitions
/// served warm and ones that waited for a launch since the pool's activation; <see cref="Refused"/> ones refused at its limit;
/// <see cref="Trimmed"/> warm pods deleted after waiting unused beyond the target.
/// </remarks>
public sealed record NodePoolPressure(
    string Name, int FreeSlots, int Ready, int Creating, int Assigned, int MaxPods, int WarmTarget, int Waiting,
    int MinWarm, int MaxWarm, string TargetLimitedBy, int Wanted, double ArrivalsPerSecond, double LaunchSeconds,
    long Hits, long Misses, long Refused, long Trimmed)
{
    public static NodePoolPressure From(PodPoolStatus status, int maxPods) => new(
        status.NodePool, Math.Max(0, maxPods - status.Assigned), status.Ready, status.Creating, status.Assigned, maxPods, status.WarmTarget, status.Waiting,
        status.MinWarm, status.MaxWarm, status.TargetLimitedBy, status.Wanted, status.ArrivalsPerSecond, status.LaunchSeconds,
        status.Hits, status.Misses, status.Refused, status.Trimmed);
}
