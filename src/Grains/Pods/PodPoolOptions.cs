namespace UFBrowsers.Grains.Pods;

/// <summary>Configuration section <c>UFBrowsers:Pods</c>: the node pools and the one used when a request names none.</summary>
public sealed class PodPoolOptions
{
    public const string Section = "UFBrowsers:Pods";

    public string DefaultNodePool { get; set; } = "default";

    public Dictionary<string, NodePoolOptions> NodePools { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The configured pools, with the default pool present even when configuration names none.</summary>
    public IReadOnlyDictionary<string, NodePoolOptions> EffectivePools() =>
        NodePools.Count == 0 ? new Dictionary<string, NodePoolOptions> { [DefaultNodePool] = new() } : NodePools;
}
