namespace UFBrowsers.Silo.Kubernetes;

/// <summary>Configuration section <c>UFBrowsers:Kubernetes</c>: how the adapters reach the Kubernetes API, and who they are there.</summary>
public sealed class KubernetesOptions
{
    public const string Section = "UFBrowsers:Kubernetes";

    /// <summary>
    /// The API server's URL. Unset: the pod's service account inside a cluster, else the current kubeconfig context.
    /// Set it for <c>kubectl proxy</c> (<c>http://127.0.0.1:8001</c>) or a test server.
    /// </summary>
    public string? Host { get; set; }

    /// <summary>
    /// This installation's name in the cluster (a label value): every namespace and pod it creates carries it as
    /// <c>ufbrowsers.io/owner</c>, and it touches nothing that does not. The Helm chart sets
    /// <c>&lt;release namespace&gt;.&lt;release name&gt;</c>, so two installations in one cluster never take each other's objects.
    /// </summary>
    public string Owner { get; set; } = "ufbrowsers";
}
