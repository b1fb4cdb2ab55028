namespace UFBrowsers.Pods;

/// <summary>The pods a pool knows right now: its warm pods, and the assigned ones with their session.</summary>
[GenerateSerializer, Immutable, Alias("ufb.PodPoolInventory")]
public sealed record PodPoolInventory(
    [property: Id(0)] string NodePool,
    [property: Id(1)] IReadOnlyList<string> Ready,
    [property: Id(2)] IReadOnlyDictionary<string, string> AssignedToSession);
