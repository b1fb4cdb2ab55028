namespace UFBrowsers.Silo.Kubernetes;

/// <summary>Configuration section <c>UFBrowsers:Kubernetes:Tenants</c>: the objects of every tenant namespace.</summary>
public sealed class KubernetesTenantOptions
{
    public const string Section = "UFBrowsers:Kubernetes:Tenants";

    /// <summary>The cloud metadata endpoint: blocked whatever <see cref="BlockedCidrs"/> says.</summary>
    public const string MetadataCidr = "169.254.169.254/32";

    public static readonly IReadOnlyList<string> DefaultBlockedCidrs = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

    /// <summary>Where the API and gateway pods run (the Helm release namespace); browser pods accept traffic only from there.</summary>
    public string GatewayNamespace { get; set; } = "ufbrowsers";

    /// <summary>Labels that select the gateway's pods in <see cref="GatewayNamespace"/>. Empty: <c>app.kubernetes.io/name=ufbrowsers</c>.</summary>
    public Dictionary<string, string> GatewayPodLabels { get; set; } = new(StringComparer.Ordinal);

    public string DnsNamespace { get; set; } = "kube-system";

    /// <summary>Labels of the cluster DNS pods. Empty: <c>k8s-app=kube-dns</c> (CoreDNS keeps that label).</summary>
    public Dictionary<string, string> DnsPodLabels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Ranges browsers may never reach (cluster-internal networks). Empty: 10/8, 172.16/12 and 192.168/16.</summary>
    public List<string> BlockedCidrs { get; set; } = [];

    /// <summary>The port the gateway reaches a browser's DevTools on.</summary>
    public int CdpPort { get; set; } = 9222;

    /// <summary>The port the control plane reaches a browser pod's file endpoint on (downloads out, uploads in).</summary>
    public int FilesPort { get; set; } = 9224;

    /// <summary>One session's share, multiplied by the plan's concurrency for the quota and used as the LimitRange defaults.</summary>
    public BrowserResources PodResources { get; set; } = new();

    /// <summary>The Pod Security Standard enforced in tenant namespaces (browser pods meet <c>restricted</c>).</summary>
    public string PodSecurityLevel { get; set; } = "restricted";

    // Configuration binding adds to collections rather than replacing them, so defaults apply only when nothing is configured.
    public IReadOnlyDictionary<string, string> EffectiveGatewayPodLabels() =>
        GatewayPodLabels.Count > 0 ? GatewayPodLabels : new Dictionary<string, string> { ["app.kubernetes.io/name"] = "ufbrowsers" };

    public IReadOnlyDictionary<string, string> EffectiveDnsPodLabels() =>
        DnsPodLabels.Count > 0 ? DnsPodLabels : new Dictionary<string, string> { ["k8s-app"] = "kube-dns" };

    public IReadOnlyList<string> EffectiveBlockedCidrs() =>
        (BlockedCidrs.Count > 0 ? BlockedCidrs : DefaultBlockedCidrs).Append(MetadataCidr).Distinct(StringComparer.Ordinal).ToList();
}
