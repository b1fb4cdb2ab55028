namespace UFBrowsers.Pods;

/// <summary>A browser pod handed to one session: where its Chrome DevTools Protocol endpoints are.</summary>
/// <param name="CdpWebSocketUrl">The browser target's DevTools WebSocket URL; its path is what the gateway asks for.</param>
/// <param name="CdpHttpUrl">The DevTools HTTP endpoint (<c>/json/version</c>, <c>/json/list</c>).</param>
/// <param name="DevToolsSocket">
/// When set, the host part of both URLs is only a name: the gateway reaches DevTools through this Unix socket on the
/// control plane's machine (a local sandboxed pod, whose DevTools port exists only inside its own network namespace).
/// </param>
/// <param name="DownloadsDirectory">
/// The session's downloads directory as the browser sees it. The gateway confines every download path a client asks for
/// to it; null when the pod has none (downloads are then refused).
/// </param>
[GenerateSerializer, Immutable, Alias("ufb.PodLease")]
public sealed record PodLease(
    [property: Id(0)] string PodId,
    [property: Id(1)] string NodePool,
    [property: Id(2)] string CdpWebSocketUrl,
    [property: Id(3)] string CdpHttpUrl,
    [property: Id(4)] string? DevToolsSocket = null,
    [property: Id(5)] string? DownloadsDirectory = null);
