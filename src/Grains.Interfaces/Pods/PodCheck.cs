namespace UFBrowsers.Pods;

/// <summary>
/// A pool's answer about one pod: alive (as its provider listed it at <see cref="At"/>), or gone (not in a listing taken
/// at <see cref="At"/>, after the pod was handed out). A pool that cannot tell throws instead: unknown is not gone.
/// </summary>
[GenerateSerializer, Immutable, Alias("ufb.PodCheck")]
public sealed record PodCheck(
    [property: Id(0)] bool Alive,
    [property: Id(1)] DateTimeOffset At);
