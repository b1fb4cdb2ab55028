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
    /// Cancelling the token abandons the start and deletes what was made.
    /// </summary>
    Task<PodLease> CreateAsync(string nodePool, CancellationToken cancellationToken, PodAssignment? assignment = null);

    /// <summary>Marks a warm pod as handed to a session, so that it can be traced to its session and tenant.</summary>
    Task AssignAsync(PodLease pod, PodAssignment assignment, CancellationToken cancellationToken);

    /// <summary>Destroys the browser and everything it stored. Deleting a pod that is gone is not an error. Only the lease's pod id is relied on.</summary>
    Task DeleteAsync(PodLease pod, CancellationToken cancellationToken);

    /// <summary>
    /// The node pool's pods that are alive now, warm or serving a session, as this provider sees them (local Chromium: the
    /// browser processes this process started and that still run; Kubernetes: the pool's pods that have not ended). A pod
    /// handed out and not listed is gone. Pods still starting may be left out. Throws when the provider cannot tell (the
    /// Kubernetes API unreachable): unknown is not gone.
    /// </summary>
    /// <remarks>
    /// This is the liveness seam: sessions ask their pool, the pool asks this, and a session whose browser is not listed
    /// ends as <c>pod_lost</c>; a listed pod that no session claims is deleted. A whole listing rather than one question per
    /// pod, so that one call a few seconds answers every session of the pool.
    /// </remarks>
    Task<IReadOnlyList<LivePod>> ListAliveAsync(string nodePool, CancellationToken cancellationToken);
}
