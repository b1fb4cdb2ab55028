using k8s.Models;
using UFBrowsers.Grains.Tenants;

namespace UFBrowsers.Silo.Kubernetes;

/// <summary>
/// The objects of one tenant namespace, built from its spec and the tenant options. Every object carries the ownership
/// label (<see cref="KubernetesLabels.Owner"/>); the namespace also names its owner and customer in annotations.
/// </summary>
public static class TenantManifests
{
    public const string QuotaName = "ufb-quota";
    public const string LimitRangeName = "ufb-limits";
    public const string NetworkPolicyName = "ufb-isolation";

    public static V1Namespace Namespace(TenantSpec spec, KubernetesTenantOptions options, string owner)
    {
        var labels = Labels(spec, owner);
        labels[KubernetesLabels.Plan] = KubernetesLabels.Value(spec.Plan.Name);
        labels["pod-security.kubernetes.io/enforce"] = options.PodSecurityLevel;
        return new V1Namespace
        {
            ApiVersion = "v1",
            Kind = "Namespace",
            Metadata = new V1ObjectMeta
            {
                Name = spec.Namespace,
                Labels = labels,
                Annotations = new Dictionary<string, string>
                {
                    [KubernetesLabels.Owner] = owner,
                    [KubernetesLabels.CustomerIdAnnotation] = spec.CustomerId,
                },
            },
        };
    }

    /// <summary>Room for exactly the plan's concurrent sessions, each with one browser pod's resources.</summary>
    public static V1ResourceQuota Quota(TenantSpec spec, KubernetesTenantOptions options, string owner)
    {
        var sessions = Math.Max(0, spec.Plan.ConcurrencyLimit);
        var pod = options.PodResources;
        return new V1ResourceQuota
        {
            ApiVersion = "v1",
            Kind = "ResourceQuota",
            Metadata = Metadata(QuotaName, spec, owner),
            Spec = new V1ResourceQuotaSpec
            {
                Hard = new Dictionary<string, ResourceQuantity>
                {
                    ["pods"] = new(sessions.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    ["requests.cpu"] = new(BrowserResources.Cpu((long)sessions * pod.CpuRequestMillicores)),
                    ["limits.cpu"] = new(BrowserResources.Cpu((long)sessions * pod.CpuLimitMillicores)),
                    ["requests.memory"] = new(BrowserResources.Memory((long)sessions * pod.MemoryRequestMebibytes)),
                    ["limits.memory"] = new(BrowserResources.Memory((long)sessions * pod.MemoryLimitMebibytes)),
                },
            },
        };
    }

    /// <summary>Containers without resources get one browser's share; none may take more than that.</summary>
    public static V1LimitRange LimitRange(TenantSpec spec, KubernetesTenantOptions options, string owner)
    {
        var pod = options.PodResources;
        return new V1LimitRange
        {
            ApiVersion = "v1",
            Kind = "LimitRange",
            Metadata = Metadata(LimitRangeName, spec, owner),
            Spec = new V1LimitRangeSpec
            {
                Limits =
                [
                    new V1LimitRangeItem
                    {
                        Type = "Container",
                        DefaultProperty = Resources(pod.CpuLimitMillicores, pod.MemoryLimitMebibytes),
                        DefaultRequest = Resources(pod.CpuRequestMillicores, pod.MemoryRequestMebibytes),
                        Max = Resources(pod.CpuLimitMillicores, pod.MemoryLimitMebibytes),
                    },
                ],
            },
        };
    }

    /// <summary>
    /// Ingress only from the gateway's pods to the DevTools port and the file endpoint; egress only to cluster DNS and to addresses outside
    /// the blocked ranges (cluster networks and cloud metadata). Other tenants' pods have cluster addresses, so they are
    /// out of reach both ways.
    /// </summary>
    public static V1NetworkPolicy NetworkPolicy(TenantSpec spec, KubernetesTenantOptions options, string owner) =>
        new()
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "NetworkPolicy",
            Metadata = Metadata(NetworkPolicyName, spec, owner),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector(),
                PolicyTypes = ["Ingress", "Egress"],
                Ingress =
                [
                    new V1NetworkPolicyIngressRule
                    {
                        FromProperty = [Peer(options.GatewayNamespace, options.EffectiveGatewayPodLabels())],
                        Ports = [Port("TCP", options.CdpPort), Port("TCP", options.FilesPort)],
                    },
                ],
                Egress =
                [
                    new V1NetworkPolicyEgressRule
                    {
                        To = [Peer(options.DnsNamespace, options.EffectiveDnsPodLabels())],
                        Ports = [Port("UDP", 53), Port("TCP", 53)],
                    },
                    new V1NetworkPolicyEgressRule
                    {
                        To = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "0.0.0.0/0", Except = options.EffectiveBlockedCidrs().ToList() } }],
                    },
                ],
            },
        };

    private static Dictionary<string, string> Labels(TenantSpec spec, string owner) => new(StringComparer.Ordinal)
    {
        [KubernetesLabels.ManagedBy] = KubernetesLabels.ManagedByValue,
        [KubernetesLabels.Owner] = KubernetesLabels.Value(owner),
        [KubernetesLabels.Tenant] = KubernetesLabels.Value(spec.CustomerId),
    };

    private static V1ObjectMeta Metadata(string name, TenantSpec spec, string owner) =>
        new() { Name = name, NamespaceProperty = spec.Namespace, Labels = Labels(spec, owner) };

    private static Dictionary<string, ResourceQuantity> Resources(long cpuMillicores, long memoryMebibytes) => new()
    {
        ["cpu"] = new ResourceQuantity(BrowserResources.Cpu(cpuMillicores)),
        ["memory"] = new ResourceQuantity(BrowserResources.Memory(memoryMebibytes)),
    };

    private static V1NetworkPolicyPeer Peer(string @namespace, IReadOnlyDictionary<string, string> podLabels) => new()
    {
        NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = @namespace } },
        PodSelector = new V1LabelSelector { MatchLabels = podLabels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal) },
    };

    private static V1NetworkPolicyPort Port(string protocol, int port) => new() { Protocol = protocol, Port = port };
}
