using k8s;
using k8s.Models;
using UFBrowsers.Customers;
using UFBrowsers.Grains.Customers;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Grains.Tenants;
using UFBrowsers.Kubernetes.Tests.Infrastructure;
using UFBrowsers.Silo.Kubernetes;

namespace UFBrowsers.Kubernetes.Tests;

/// <summary>
/// The chart's ValidatingAdmissionPolicy, rendered by helm, evaluated against the requests the control plane really makes
/// (objects built by the adapters' own manifest code) and against what a compromised control plane might try.
/// </summary>
public sealed class AdmissionPolicyTests
{
    private const string ServiceAccount = "system:serviceaccount:ufbrowsers:ufbrowsers";
    private const string Owner = "ufbrowsers.ufbrowsers";

    private static readonly RenderedChart Chart = RenderedChart.Of();
    private static readonly AdmissionPolicyEvaluator Policy = new(Chart.Single<V1ValidatingAdmissionPolicy>());
    private static readonly V1Namespace PoolNamespace = Chart.Single<V1Namespace>();
    private static readonly TenantSpec Tenant = new("acme_1", TenantNamespace.For("acme_1"), new Plan("starter", 900, 500, 2, 5));
    private static readonly V1Namespace TenantNs = TenantManifests.Namespace(Tenant, new KubernetesTenantOptions(), Owner);

    [Fact]
    public void The_binding_denies_what_the_policy_refuses()
    {
        var binding = Chart.Single<V1ValidatingAdmissionPolicyBinding>();

        Assert.Equal(Chart.Single<V1ValidatingAdmissionPolicy>().Metadata.Name, binding.Spec.PolicyName);
        Assert.Equal(["Deny"], binding.Spec.ValidationActions);
        Assert.Equal("Fail", Chart.Single<V1ValidatingAdmissionPolicy>().Spec.FailurePolicy);
    }

    public static TheoryData<string, AdmissionRequest> AllowedRequests()
    {
        var relabelled = TenantManifests.Namespace(Tenant with { Plan = new Plan("professional", 4900, 5000, 10, 60) }, new KubernetesTenantOptions(), Owner);
        var warmPod = BrowserPodManifest.Build("ufb-default-0a1b2c3d4e", PoolNamespace.Metadata.Name, "default", new KubernetesPodOptions(), Owner, null);
        var assigned = BrowserPodManifest.Build("ufb-default-0a1b2c3d4e", PoolNamespace.Metadata.Name, "default", new KubernetesPodOptions(), Owner, new PodAssignment("ses_1", "acme_1", Tenant.Namespace));
        var onDemand = BrowserPodManifest.Build("ufb-default-5f6a7b8c9d", Tenant.Namespace, "default", new KubernetesPodOptions(), Owner, new PodAssignment("ses_2", "acme_1", Tenant.Namespace));
        return new()
        {
            { "create a tenant namespace", new(ServiceAccount, "CREATE", "namespaces", null, Tenant.Namespace, TenantNs) },
            { "replace it on a plan change", new(ServiceAccount, "UPDATE", "namespaces", null, Tenant.Namespace, relabelled, TenantNs) },
            { "delete it on cancellation", new(ServiceAccount, "DELETE", "namespaces", null, Tenant.Namespace, null, TenantNs) },
            { "create its quota", new(ServiceAccount, "CREATE", "resourcequotas", Tenant.Namespace, "ufb-quota", TenantManifests.Quota(Tenant, new KubernetesTenantOptions(), Owner), NamespaceObject: TenantNs) },
            { "create its limit range", new(ServiceAccount, "CREATE", "limitranges", Tenant.Namespace, "ufb-limits", TenantManifests.LimitRange(Tenant, new KubernetesTenantOptions(), Owner), NamespaceObject: TenantNs) },
            { "create its network policy", new(ServiceAccount, "CREATE", "networkpolicies", Tenant.Namespace, "ufb-isolation", TenantManifests.NetworkPolicy(Tenant, new KubernetesTenantOptions(), Owner), NamespaceObject: TenantNs, Group: "networking.k8s.io") },
            { "create a warm pod in the pool", new(ServiceAccount, "CREATE", "pods", PoolNamespace.Metadata.Name, warmPod.Metadata.Name, warmPod, NamespaceObject: PoolNamespace) },
            { "label it for its session", new(ServiceAccount, "UPDATE", "pods", PoolNamespace.Metadata.Name, warmPod.Metadata.Name, assigned, warmPod, PoolNamespace) },
            { "create an on-demand pod in the tenant", new(ServiceAccount, "CREATE", "pods", Tenant.Namespace, onDemand.Metadata.Name, onDemand, NamespaceObject: TenantNs) },
            { "delete it after its session", new(ServiceAccount, "DELETE", "pods", Tenant.Namespace, onDemand.Metadata.Name, null, onDemand, TenantNs) },
        };
    }

    [Theory]
    [MemberData(nameof(AllowedRequests))]
    public void What_the_control_plane_does_is_allowed(string what, AdmissionRequest request)
    {
        var decision = Policy.Evaluate(request);

        Assert.True(decision.Matched, what);
        Assert.True(decision.Allow, $"{what}: {decision.Message}");
    }

    public static TheoryData<string, AdmissionRequest, string> RefusedRequests()
    {
        var kubeSystem = Namespace("kube-system", new() { ["kubernetes.io/metadata.name"] = "kube-system" });
        var unowned = Namespace(Tenant.Namespace, new() { ["pod-security.kubernetes.io/enforce"] = "restricted" });
        var adopted = Namespace(Tenant.Namespace, new() { ["pod-security.kubernetes.io/enforce"] = "restricted", ["ufbrowsers.io/owner"] = Owner });
        var payments = Namespace("payments", new() { ["pod-security.kubernetes.io/enforce"] = "restricted", ["ufbrowsers.io/owner"] = Owner });
        var privileged = Namespace(Tenant.Namespace, new() { ["pod-security.kubernetes.io/enforce"] = "privileged", ["ufbrowsers.io/owner"] = Owner });
        var otherInstall = Namespace(TenantNamespace.For("globex"), new() { ["pod-security.kubernetes.io/enforce"] = "restricted", ["ufbrowsers.io/owner"] = "staging.ufbrowsers" });
        var pod = BrowserPodManifest.Build("ufb-default-0a1b2c3d4e", "kube-system", "default", new KubernetesPodOptions(), Owner, null);
        var debugPod = new V1Pod { ApiVersion = "v1", Kind = "Pod", Metadata = new V1ObjectMeta { Name = "debug", NamespaceProperty = PoolNamespace.Metadata.Name }, Spec = new V1PodSpec { HostNetwork = true } };
        var defaultNs = Namespace("default", []);
        return new()
        {
            { "delete kube-system", new(ServiceAccount, "DELETE", "namespaces", null, "kube-system", null, kubeSystem), "namespaces named ufb-t-" },
            { "create a tenant-named namespace without the ownership label", new(ServiceAccount, "CREATE", "namespaces", null, Tenant.Namespace, unowned), "namespaces named ufb-t-" },
            { "create an owned namespace outside the prefix", new(ServiceAccount, "CREATE", "namespaces", null, "payments", payments), "namespaces named ufb-t-" },
            { "adopt a namespace by labelling it", new(ServiceAccount, "UPDATE", "namespaces", null, Tenant.Namespace, adopted, unowned), "may not adopt" },
            { "create a namespace without the restricted standard", new(ServiceAccount, "CREATE", "namespaces", null, Tenant.Namespace, privileged), "restricted Pod Security Standard" },
            { "delete another installation's tenant namespace", new(ServiceAccount, "DELETE", "namespaces", null, otherInstall.Metadata.Name, null, otherInstall), "namespaces named ufb-t-" },
            { "create a browser pod in kube-system", new(ServiceAccount, "CREATE", "pods", "kube-system", pod.Metadata.Name, pod, NamespaceObject: kubeSystem), "in namespaces labelled" },
            { "delete a pod in default", new(ServiceAccount, "DELETE", "pods", "default", "web-0", null, new V1Pod { ApiVersion = "v1", Kind = "Pod", Metadata = new V1ObjectMeta { Name = "web-0", NamespaceProperty = "default" } }, defaultNs), "in namespaces labelled" },
            { "create a host-network pod in the pool", new(ServiceAccount, "CREATE", "pods", PoolNamespace.Metadata.Name, "debug", debugPod, NamespaceObject: PoolNamespace), "its own browser pods" },
            { "replace another installation's quota", new(ServiceAccount, "UPDATE", "resourcequotas", otherInstall.Metadata.Name, "ufb-quota", TenantManifests.Quota(Tenant, new KubernetesTenantOptions(), Owner), TenantManifests.Quota(Tenant, new KubernetesTenantOptions(), Owner), otherInstall), "in namespaces labelled" },
        };
    }

    [Theory]
    [MemberData(nameof(RefusedRequests))]
    public void What_a_compromised_control_plane_might_try_is_refused(string what, AdmissionRequest request, string because)
    {
        var decision = Policy.Evaluate(request);

        Assert.True(decision.Matched, what);
        Assert.False(decision.Allow, what);
        Assert.Contains(because, decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_users_are_left_to_their_own_rbac()
    {
        var decision = Policy.Evaluate(new("system:admin", "DELETE", "namespaces", null, "kube-system", null, Namespace("kube-system", [])));

        Assert.False(decision.Matched);
    }

    [Fact]
    public void The_policy_names_the_same_prefix_and_owner_the_code_uses()
    {
        var expressions = string.Join("\n", Chart.Single<V1ValidatingAdmissionPolicy>().Spec.Validations.Select(v => v.Expression));

        Assert.Contains($"startsWith('{TenantNamespace.Prefix}')", expressions, StringComparison.Ordinal);
        Assert.Contains($"'{KubernetesLabels.Owner}'", expressions, StringComparison.Ordinal);
        Assert.Equal(Owner, Chart.MountedSettingsValue("UFBrowsers:Kubernetes:Owner"));
    }

    private static V1Namespace Namespace(string name, Dictionary<string, string> labels) =>
        new() { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = name, Labels = labels } };
}
