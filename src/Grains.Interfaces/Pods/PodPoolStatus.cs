namespace UFBrowsers.Pods;

/// <summary>
/// A node pool as it stands. <see cref="Waiting"/>: session starts that found no warm pod and wait for one being made for
/// them (the pool's share of the pressure endpoint's queue length).
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
    [property: Id(7)] int Waiting = 0);
