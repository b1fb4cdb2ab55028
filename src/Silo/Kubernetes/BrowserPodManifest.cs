using k8s.Models;
using UFBrowsers.Grains.Pods;

namespace UFBrowsers.Silo.Kubernetes;

/// <summary>
/// The hardened spec of one single-use browser pod: non-root, read-only root filesystem with memory-backed scratch
/// volumes for the profile, /tmp and /dev/shm, no service-account token, no service links, RuntimeDefault seccomp,
/// every capability dropped, never restarted.
/// </summary>
public static class BrowserPodManifest
{
    public const string ContainerName = "browser";

    public static V1Pod Build(string name, string @namespace, string nodePool, KubernetesPodOptions options, string owner, PodAssignment? assignment)
    {
        var pool = options.Pool(nodePool);
        var resources = pool.Resources ?? options.Resources;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [KubernetesLabels.ManagedBy] = KubernetesLabels.ManagedByValue,
            [KubernetesLabels.Component] = KubernetesLabels.BrowserComponent,
            [KubernetesLabels.Pool] = KubernetesLabels.Value(nodePool),
            [KubernetesLabels.Owner] = KubernetesLabels.Value(owner),
        };
        foreach (var (key, value) in AssignmentLabels(assignment))
        {
            labels[key] = value;
        }

        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace, Labels = labels },
            Spec = new V1PodSpec
            {
                RestartPolicy = "Never",
                AutomountServiceAccountToken = false,
                EnableServiceLinks = false,
                TerminationGracePeriodSeconds = 5,
                RuntimeClassName = options.RuntimeClassName,
                NodeSelector = pool.NodeSelector.Count > 0 ? new Dictionary<string, string>(pool.NodeSelector) : null,
                Tolerations = pool.Tolerations.Count > 0
                    ? pool.Tolerations.Select(t => new V1Toleration
                    {
                        Key = t.Key,
                        OperatorProperty = t.Operator,
                        Value = t.Operator == "Exists" ? null : t.Value,
                        Effect = string.IsNullOrEmpty(t.Effect) ? null : t.Effect,
                    }).ToList()
                    : null,
                SecurityContext = new V1PodSecurityContext
                {
                    RunAsNonRoot = true,
                    RunAsUser = options.RunAsUser,
                    RunAsGroup = options.RunAsUser,
                    FsGroup = options.RunAsUser,
                    SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                },
                Containers =
                [
                    new V1Container
                    {
                        Name = ContainerName,
                        Image = pool.Image ?? options.Image,
                        ImagePullPolicy = options.ImagePullPolicy,
                        Args = options.Args.Count > 0 ? options.Args.ToList() : null,
                        Ports =
                        [
                            new V1ContainerPort { Name = "cdp", ContainerPort = options.CdpPort, Protocol = "TCP" },
                            new V1ContainerPort { Name = "files", ContainerPort = options.FilesPort, Protocol = "TCP" },
                        ],
                        // The browser image's entrypoint serves DevTools on CDP_PORT, the session's files on FILES_PORT, and keeps its profile in PROFILE_DIR.
                        Env =
                        [
                            new V1EnvVar { Name = "HOME", Value = "/tmp" },
                            new V1EnvVar { Name = "DOWNLOADS_DIR", Value = options.DownloadsDirectory },
                            new V1EnvVar { Name = "CDP_PORT", Value = options.CdpPort.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                            new V1EnvVar { Name = "UPLOADS_DIR", Value = options.UploadsDirectory },
                            new V1EnvVar { Name = "FILES_PORT", Value = options.FilesPort.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                            new V1EnvVar { Name = "PROFILE_DIR", Value = "/profile" },
                        ],
                        Resources = new V1ResourceRequirements
                        {
                            Requests = new Dictionary<string, ResourceQuantity>
                            {
                                ["cpu"] = new(BrowserResources.Cpu(resources.CpuRequestMillicores)),
                                ["memory"] = new(BrowserResources.Memory(resources.MemoryRequestMebibytes)),
                            },
                            Limits = new Dictionary<string, ResourceQuantity>
                            {
                                ["cpu"] = new(BrowserResources.Cpu(resources.CpuLimitMillicores)),
                                ["memory"] = new(BrowserResources.Memory(resources.MemoryLimitMebibytes)),
                            },
                        },
                        SecurityContext = new V1SecurityContext
                        {
                            RunAsNonRoot = true,
                            AllowPrivilegeEscalation = false,
                            ReadOnlyRootFilesystem = true,
                            Privileged = false,
                            Capabilities = new V1Capabilities { Drop = ["ALL"] },
                            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                        },
                        ReadinessProbe = new V1Probe
                        {
                            TcpSocket = new V1TCPSocketAction { Port = options.CdpPort },
                            PeriodSeconds = 2,
                        },
                        VolumeMounts =
                        [
                            new V1VolumeMount { Name = "profile", MountPath = "/profile" },
                            new V1VolumeMount { Name = "tmp", MountPath = "/tmp" },
                            new V1VolumeMount { Name = "dshm", MountPath = "/dev/shm" },
                        ],
                    },
                ],
                Volumes =
                [
                    new V1Volume { Name = "profile", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity(options.ProfileSizeLimit) } },
                    new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity(options.ProfileSizeLimit) } },
                    new V1Volume { Name = "dshm", EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = new ResourceQuantity(options.ShmSizeLimit) } },
                ],
            },
        };
    }

    /// <summary>The labels that tie a pod to its session and tenant once it is handed out.</summary>
    public static IReadOnlyDictionary<string, string> AssignmentLabels(PodAssignment? assignment)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (assignment is null)
        {
            return labels;
        }

        labels[KubernetesLabels.Session] = KubernetesLabels.Value(assignment.SessionId);
        if (assignment.CustomerId is { } customer)
        {
            labels[KubernetesLabels.Tenant] = KubernetesLabels.Value(customer);
        }

        return labels;
    }
}
