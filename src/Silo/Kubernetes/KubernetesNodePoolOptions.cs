namespace UFBrowsers.Silo.Kubernetes;

/// <summary>
/// Where and how one node pool's browsers run (section <c>UFBrowsers:Kubernetes:Pods:NodePools:&lt;pool&gt;</c>). Its warm
/// target stays in <c>UFBrowsers:Pods:NodePools:&lt;pool&gt;</c>, shared with every provider.
/// </summary>
public sealed class KubernetesNodePoolOptions
{
    /// <summary>The browser image of this pool; unset, the provider's <see cref="KubernetesPodOptions.Image"/>.</summary>
    public string? Image { get; set; }

    public Dictionary<string, string> NodeSelector { get; set; } = new(StringComparer.Ordinal);

    public List<TolerationOptions> Tolerations { get; set; } = [];

    /// <summary>This pool's browser resources; unset, the provider's <see cref="KubernetesPodOptions.Resources"/>.</summary>
    public BrowserResources? Resources { get; set; }
}
