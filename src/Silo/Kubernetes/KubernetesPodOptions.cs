namespace UFBrowsers.Silo.Kubernetes;

/// <summary>Configuration section <c>UFBrowsers:Kubernetes:Pods</c>: browser pods and the namespace of the warm pools.</summary>
public sealed class KubernetesPodOptions
{
    public const string Section = "UFBrowsers:Kubernetes:Pods";

    /// <summary>Where warm pods wait (the Helm chart creates it). On-demand pods go to the tenant's namespace instead.</summary>
    public string Namespace { get; set; } = "ufb-pool";

    /// <summary>
    /// A headless Chromium image whose entrypoint serves DevTools on <see cref="CdpPort"/> on the pod's IP (built from
    /// deploy/docker/browser.Dockerfile; the chart sets its registry and tag).
    /// </summary>
    public string Image { get; set; } = "ufbrowsers/browser:0.1.0";

    public string ImagePullPolicy { get; set; } = "IfNotPresent";

    /// <summary>Arguments appended to the image's entrypoint.</summary>
    public List<string> Args { get; set; } = [];

    public int CdpPort { get; set; } = 9222;

    /// <summary>
    /// The port of the browser image's file endpoint (<c>files.sh</c>): the session's downloads out, uploads in. Reached only by
    /// the control plane (the namespace's NetworkPolicy), like <see cref="CdpPort"/>.
    /// </summary>
    public int FilesPort { get; set; } = 9224;

    /// <summary>Where uploads go in the pod (on its <c>/tmp</c> emptyDir, gone with the pod); the file endpoint answers paths under it.</summary>
    public string UploadsDirectory { get; set; } = "/tmp/uploads";

    /// <summary>
    /// The session's downloads directory as the browser sees it: the gateway confines every download path to it. The browser
    /// image's entrypoint creates it (<c>DOWNLOADS_DIR</c>); it lives on the pod's <c>/tmp</c> emptyDir, so it dies with the pod.
    /// </summary>
    public string DownloadsDirectory { get; set; } = "/tmp/downloads";

    /// <summary>The unprivileged user the browser runs as (the browser image's user).</summary>
    public long RunAsUser { get; set; } = 10001;

    /// <summary>Size of the in-memory /dev/shm (Chromium's shared memory).</summary>
    public string ShmSizeLimit { get; set; } = "1Gi";

    /// <summary>Size of the profile and /tmp scratch volumes.</summary>
    public string ProfileSizeLimit { get; set; } = "1Gi";

    /// <summary>Optional RuntimeClass (for example gVisor) for a stronger sandbox.</summary>
    public string? RuntimeClassName { get; set; }

    public BrowserResources Resources { get; set; } = new();

    /// <summary>Per node pool placement; a pool without an entry runs anywhere with the defaults above.</summary>
    public Dictionary<string, KubernetesNodePoolOptions> NodePools { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long a pod may take from creation until its DevTools endpoint answers.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>How often DevTools is asked again when the pod is ready but the browser has not answered yet.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    public KubernetesNodePoolOptions Pool(string nodePool) =>
        NodePools.TryGetValue(nodePool, out var pool) ? pool : new KubernetesNodePoolOptions();
}
