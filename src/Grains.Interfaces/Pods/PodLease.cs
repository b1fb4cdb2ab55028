namespace UFBrowsers.Pods;

/// <summary>A browser pod handed to one session: where its Chrome DevTools Protocol endpoints are.</summary>
[GenerateSerializer, Immutable, Alias("ufb.PodLease")]
public sealed record PodLease(
    [property: Id(0)] string PodId,
    [property: Id(1)] string NodePool,
    [property: Id(2)] string CdpWebSocketUrl,
    [property: Id(3)] string CdpHttpUrl);
