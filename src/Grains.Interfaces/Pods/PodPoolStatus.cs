namespace UFBrowsers.Pods;

[GenerateSerializer, Immutable, Alias("ufb.PodPoolStatus")]
public sealed record PodPoolStatus(
    [property: Id(0)] string NodePool,
    [property: Id(1)] int WarmTarget,
    [property: Id(2)] int Ready,
    [property: Id(3)] int Creating,
    [property: Id(4)] int Assigned,
    [property: Id(5)] long Hits,
    [property: Id(6)] long Misses);
