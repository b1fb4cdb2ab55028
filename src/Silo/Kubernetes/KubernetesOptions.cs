namespace UFBrowsers.Silo.Kubernetes;

/// <summary>Configuration section <c>UFBrowsers:Kubernetes</c>: how the adapters reach the Kubernetes API.</summary>
public sealed class KubernetesOptions
{
    public const string Section = "UFBrowsers:Kubernetes";

    /// <summary>
    /// The API server's URL. Unset: the pod's service account inside a cluster, else the current kubeconfig context.
    /// Set it for <c>kubectl proxy</c> (<c>http://127.0.0.1:8001</c>) or a test server.
    /// </summary>
    public string? Host { get; set; }
}
