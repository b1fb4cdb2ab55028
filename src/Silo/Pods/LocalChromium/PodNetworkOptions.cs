namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// <c>UFBrowsers:LocalChromium:Network</c>: what a sandboxed pod's own network namespace may reach. Its only way out is
/// user-mode networking (slirp4netns, which never maps the host's loopback); routes inside the namespace refuse the
/// ranges below and every address of this machine, so a page gets an immediate network error for them.
/// </summary>
public sealed class PodNetworkOptions
{
    /// <summary>The ranges refused when <see cref="BlockedCidrs"/> is not configured: private, shared (CGNAT) and link-local IPv4.</summary>
    public static readonly IReadOnlyList<string> DefaultBlockedCidrs =
        ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10"];

    /// <summary>IPv4 ranges a page may not reach; null means <see cref="DefaultBlockedCidrs"/>. The host's own addresses are always refused.</summary>
    public List<string>? BlockedCidrs { get; set; }

    /// <summary>MTU of the pod's tap device (slirp4netns allows up to 65521; large is faster).</summary>
    public int Mtu { get; set; } = 65520;

    public IReadOnlyList<string> EffectiveBlockedCidrs => BlockedCidrs ?? DefaultBlockedCidrs;
}
