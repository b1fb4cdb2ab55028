namespace UFBrowsers.Silo.Kubernetes;

/// <summary>Configuration section <c>UFBrowsers:Kubernetes:Reconciler</c>: the periodic comparison of browser pods with sessions.</summary>
public sealed class KubernetesReconcilerOptions
{
    public const string Section = "UFBrowsers:Kubernetes:Reconciler";

    public bool Enabled { get; set; } = true;

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Pods younger than this are never deleted as orphans: a pod being started is not yet known to its pool.
    /// Keep it above <see cref="KubernetesPodOptions.StartTimeout"/>.
    /// </summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromMinutes(3);
}
