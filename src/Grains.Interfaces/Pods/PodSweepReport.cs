namespace UFBrowsers.Pods;

/// <summary>What one sweep of a pool found: pods alive at the provider, pods deleted because no session claimed them, and known pods found gone.</summary>
[GenerateSerializer, Immutable, Alias("ufb.PodSweepReport")]
public sealed record PodSweepReport(
    [property: Id(0)] int Alive,
    [property: Id(1)] IReadOnlyList<string> Deleted,
    [property: Id(2)] IReadOnlyList<string> Gone);
