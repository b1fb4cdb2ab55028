using UFBrowsers.Pods;

namespace UFBrowsers.Grains.Pods;

/// <summary>A ready pod waiting in its pool, and since when: the idle shrink deletes the ones that waited longest.</summary>
internal sealed record WarmPod(PodLease Pod, DateTimeOffset ReadyAt);
