namespace UFBrowsers.Grains.Pods;

/// <summary>A pool's pods as the provider listed them alive, and when the listing began (a pod missing from it was gone by then).</summary>
internal sealed record LivePodSnapshot(DateTimeOffset TakenAt, IReadOnlyDictionary<string, LivePod> Pods);
