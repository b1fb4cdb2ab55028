namespace UFBrowsers.Pods;

/// <summary>
/// A node pool as it stands. <see cref="WarmTarget"/>: the warm pods (ready or starting) it aims for now, set by demand within
/// its bounds (<see cref="TargetLimitedBy"/> says which applied: <c>demand</c>, <c>min_warm</c>, <c>max_warm</c>,
/// <c>max_pods</c> or <c>memory</c>; <see cref="Wanted"/> is what demand alone asks for). <see cref="Hits"/>: acquisitions
/// served by a warm pod; <see cref="Misses"/>: acquisitions that waited for a launch; <see cref="Refused"/>: acquisitions
/// refused at <see cref="MaxPods"/>; <see cref="Trimmed"/>: warm pods deleted after waiting unused beyond the target.
/// <see cref="Waiting"/>: session starts that wait for a pod being made for them (the pool's share of the pressure
/// endpoint's queue length).
/// </summary>
[GenerateSerializer, Immutable, Alias("ufb.PodPoolStatus")]
public sealed record PodPoolStatus(
    [property: Id(0)] string NodePool,
    [property: Id(1)] int WarmTarget,
    [property: Id(2)] int Ready,
    [property: Id(3)] int Creating,
    [property: Id(4)] int Assigned,
    [property: Id(5)] long Hits,
    [property: Id(6)] long Misses,
    [property: Id(7)] int Waiting = 0,
    [property: Id(8)] int MinWarm = 0,
    [property: Id(9)] int MaxWarm = 0,
    [property: Id(10)] int MaxPods = 0,
    [property: Id(11)] string TargetLimitedBy = "",
    [property: Id(12)] int Wanted = 0,
    [property: Id(13)] double ArrivalsPerSecond = 0,
    [property: Id(14)] double LaunchSeconds = 0,
    [property: Id(15)] long Refused = 0,
    [property: Id(16)] long Trimmed = 0);
