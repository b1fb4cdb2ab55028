namespace UFBrowsers.Pods;

/// <summary>
/// The warm browser pods of one node pool (key: pool name). A pod serves one session and is then destroyed.
/// </summary>
[Alias("ufb.IPodPoolGrain")]
public interface IPodPoolGrain : IGrainWithStringKey
{
    /// <summary>
    /// Hands a ready pod to the session (a warm one if any, else one made on demand, in the tenant of
    /// <paramref name="customerId"/> where the provider supports it); null if none could be had.
    /// </summary>
    [Alias("Acquire")]
    Task<PodLease?> Acquire(string sessionId, string? customerId = null);

    /// <summary>Destroys a pod after its session; it is never handed out again.</summary>
    [Alias("Release")]
    Task Release(string podId);

    /// <summary>Reports that a pod died; its session, if any, is ended as pod_failed.</summary>
    [Alias("ReportPodLost")]
    Task ReportPodLost(string podId);

    /// <summary>Starts filling the pool to its warm target.</summary>
    [Alias("Warm")]
    Task Warm();

    [Alias("GetStatus")]
    Task<PodPoolStatus> GetStatus();

    /// <summary>The ids of the pods this activation knows, for the reconciler to compare with what really runs.</summary>
    [Alias("GetInventory")]
    Task<PodPoolInventory> GetInventory();
}
