namespace UFBrowsers.Pods;

/// <summary>
/// The warm browser pods of one node pool (key: pool name). A pod serves one session and is then destroyed. The pool is
/// also where a session asks whether its browser is alive; those questions are the sessions' claims on their pods, which
/// is how a pool that moved to another silo learns again which pods are in use, and deletes those nobody claims.
/// </summary>
[Alias("ufb.IPodPoolGrain")]
public interface IPodPoolGrain : IGrainWithStringKey
{
    /// <summary>
    /// Hands a ready pod to the session (a warm one if any, else one made on demand, in the tenant of
    /// <paramref name="customerId"/> where the provider supports it); null if none could be had within the pool's acquire
    /// timeout, which is shorter than a grain call's, so the answer always reaches the caller. A pod made too late is deleted.
    /// </summary>
    [Alias("Acquire")]
    Task<PodLease?> Acquire(string sessionId, string? customerId = null);

    /// <summary>Destroys a pod after its session, whether or not this activation knows it; it is never handed out again.</summary>
    [Alias("Release")]
    Task Release(PodLease pod);

    /// <summary>Reports that a pod died; its session, if any, is ended as pod_failed.</summary>
    [Alias("ReportPodLost")]
    Task ReportPodLost(string podId);

    /// <summary>
    /// Whether the session's pod is alive, from a listing of the provider's pods taken after <paramref name="since"/> (the
    /// last moment the session knew it alive). Also records the session's claim on the pod. Throws when the provider cannot
    /// tell.
    /// </summary>
    [Alias("CheckPod")]
    Task<PodCheck> CheckPod(string sessionId, PodLease pod, DateTimeOffset since);

    /// <summary>Starts filling the pool to its warm target.</summary>
    [Alias("Warm")]
    Task Warm();

    [Alias("GetStatus")]
    Task<PodPoolStatus> GetStatus();

    /// <summary>The ids of the pods this activation knows, for the reconciler to compare with what really runs.</summary>
    [Alias("GetInventory")]
    Task<PodPoolInventory> GetInventory();

    /// <summary>Compares the provider's live pods with what the pool and its sessions claim, and deletes what nobody claims (also run by a timer).</summary>
    [Alias("Sweep")]
    Task<PodSweepReport> Sweep();
}
