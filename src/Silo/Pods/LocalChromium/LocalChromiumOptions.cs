namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>Configuration section <c>UFBrowsers:LocalChromium</c>: how browser pods are run as Chromium processes on this machine.</summary>
public sealed class LocalChromiumOptions
{
    public const string Section = "UFBrowsers:LocalChromium";

    /// <summary>The browser build of every node pool that does not name its own in <see cref="NodePools"/>.</summary>
    public BrowserBuild Build { get; set; } = BrowserBuild.HeadlessShell;

    /// <summary>
    /// The browser binary of pools that name no build of their own; defaults to <c>CHROMIUM_PATH</c>. Unset, the usual install
    /// location of <see cref="Build"/> (Debian's <c>/usr/lib/chromium/chromium-headless-shell</c> or <c>/usr/lib/chromium/chromium</c>).
    /// </summary>
    public string? ExecutablePath { get; set; } = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : null;

    /// <summary>Per node pool: its browser build, binary and extra switches.</summary>
    public Dictionary<string, LocalNodePoolOptions> NodePools { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Where each pod gets its own directory (profile, downloads, DevTools socket, marker). The provider owns this directory:
    /// on start it kills and deletes whatever an earlier provider left here, so two silos on one machine must not share it.
    /// </summary>
    public string PodsDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "ufbrowsers-pods");

    /// <summary>How long a browser may take until its DevTools endpoint answers.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Added after the provider's own command-line switches (for example <c>--proxy-server=...</c>).</summary>
    public List<string> ExtraArguments { get; set; } = [];

    /// <summary>
    /// Each pod in its own sandbox (unprivileged user; user, PID, mount, IPC, UTS and network namespaces; DevTools only
    /// through a Unix socket). The provider refuses to start when the machine cannot sandbox. <c>false</c> runs Chromium
    /// as the silo's user with <c>--no-sandbox</c> and a DevTools port on 127.0.0.1, where every page sees the host: only
    /// for machines without user namespaces or root, never with tenants one does not trust; it is logged as critical.
    /// </summary>
    public bool Sandbox { get; set; } = true;

    /// <summary>
    /// The unprivileged user id the sandboxed browser runs as (also inside its user namespace). Choose one no account of the
    /// machine has: a process of that user outside the sandbox could read the pods' profiles and enter their namespaces.
    /// </summary>
    public int SandboxUid { get; set; } = 1000;

    /// <summary>The group id the sandboxed browser runs as.</summary>
    public int SandboxGid { get; set; } = 1000;

    public PodNetworkOptions Network { get; set; } = new();

    public PodResourceLimits Limits { get; set; } = new();

    public BrowserWarmUpOptions WarmUp { get; set; } = new();
}
