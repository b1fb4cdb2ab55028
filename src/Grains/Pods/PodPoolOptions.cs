namespace UFBrowsers.Grains.Pods;

/// <summary>Configuration section <c>UFBrowsers:Pods</c>: the node pools and the one used when a request names none.</summary>
public sealed class PodPoolOptions
{
    public const string Section = "UFBrowsers:Pods";

    public string DefaultNodePool { get; set; } = "default";

    public Dictionary<string, NodePoolOptions> NodePools { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How long a session waits for a pod made on demand. Kept well under the grain call timeout (30 s), so the pool's
    /// answer always reaches the session that waits for it; a pod that becomes ready later is deleted, never recorded as
    /// assigned to a session that gave up.
    /// </summary>
    public int AcquireTimeoutSeconds { get; set; } = 20;

    /// <summary>How old a listing of the provider's live pods may be when a session asks whether its pod is alive.</summary>
    public int LivenessMaxAgeSeconds { get; set; } = 5;

    /// <summary>How often the pool compares the provider's live pods with what its sessions claim.</summary>
    public int SweepSeconds { get; set; } = 30;

    /// <summary>
    /// A live pod no session has claimed (asked about) for this long, and whose session, when known, says it does not hold
    /// it, is deleted. Longer than a session's liveness check and than a pod's start.
    /// </summary>
    public int ClaimTimeoutSeconds { get; set; } = 180;

    /// <summary>The configured pools, with the default pool present even when configuration names none.</summary>
    public IReadOnlyDictionary<string, NodePoolOptions> EffectivePools() =>
        NodePools.Count == 0 ? new Dictionary<string, NodePoolOptions> { [DefaultNodePool] = new() } : NodePools;
}
