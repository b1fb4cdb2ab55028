namespace UFBrowsers.Silo.Hosting;

/// <summary>Configuration section <c>UFBrowsers:Silo</c>: where this silo listens and what it stores in.</summary>
public sealed class SiloOptions
{
    public const string Section = "UFBrowsers:Silo";

    /// <summary><c>Memory</c> (fast tests, nothing survives a restart) or <c>Postgres</c>.</summary>
    public string Storage { get; set; } = "Memory";

    /// <summary><c>LocalChromium</c> (the default) or <c>Kubernetes</c>.</summary>
    public string PodProvider { get; set; } = "LocalChromium";

    /// <summary>The address other silos and clients reach this silo on (a pod's IP in Kubernetes).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";
    /// <summary><c>Local</c> (the default: every tenant is provisioned at once) or <c>Kubernetes</c>.</summary>
    public string TenantProvisioner { get; set; } = "Local";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    public string ClusterId { get; set; } = "ufbrowsers-local";

    public string ServiceId { get; set; } = "ufbrowsers";
}
