using UFBrowsers.Pods;

namespace UFBrowsers.Grains.Pods;

/// <summary>
/// The port through which pools get browsers: a local Chromium process, or a Kubernetes pod. An adapter
/// that sees a pod die on its own reports it to the pool through <see cref="IPodPoolGrain.ReportPodLost"/>.
/// </summary>
public interface IPodProvider
{
    /// <summary>Starts a browser for the node pool and returns once its DevTools endpoint answers.</summary>
    Task<PodLease> CreateAsync(string nodePool, CancellationToken cancellationToken);

    /// <summary>Destroys the browser and everything it stored. Deleting a pod that is gone is not an error.</summary>
    Task DeleteAsync(PodLease pod, CancellationToken cancellationToken);
}
