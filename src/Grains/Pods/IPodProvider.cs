using UFBrowsers.Pods;

namespace UFBrowsers.Grains.Pods;

/// <summary>
/// The port through which pools get browsers: a local Chromium process, or a Kubernetes pod. An adapter
/// that sees a pod die on its own reports it to the pool through <see cref="IPodPoolGrain.ReportPodLost"/>.
/// </summary>
public interface IPodProvider
{
    /// <summary>
    /// Starts a browser for the node pool and returns once its DevTools endpoint answers. Without an assignment the pod is a
    /// warm one for the pool; with one it is made on demand for that session (Kubernetes places it in the tenant's namespace).
    /// </summary>
    Task<PodLease> CreateAsync(string nodePool, CancellationToken cancellationToken, PodAssignment? assignment = null);

    /// <summary>Marks a warm pod as handed to a session, so that it can be traced to its session and tenant.</summary>
    Task AssignAsync(PodLease pod, PodAssignment assignment, CancellationToken cancellationToken);

    /// <summary>Destroys the browser and everything it stored. Deleting a pod that is gone is not an error.</summary>
    Task DeleteAsync(PodLease pod, CancellationToken cancellationToken);
}
