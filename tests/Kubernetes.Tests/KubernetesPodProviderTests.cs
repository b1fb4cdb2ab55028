using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Kubernetes.Tests.Infrastructure;
using UFBrowsers.Silo.Kubernetes;

namespace UFBrowsers.Kubernetes.Tests;

public sealed class KubernetesPodProviderTests : IAsyncLifetime
{
    private FakeKubernetesApi _api = null!;
    private FakeCdpEndpoint _cdp = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        _cdp = await FakeCdpEndpoint.StartAsync();
        _api.Seed("namespaces", Namespace("ufb-pool"));
        _api.Seed("namespaces", Namespace("ufb-t-cus-1"));
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _cdp.DisposeAsync();
    }

    [Fact]
    public async Task A_warm_pod_is_created_in_the_pool_namespace_and_ready_when_devtools_answers()
    {
        using var provider = Provider();

        var lease = await provider.CreateAsync("gpu", CancellationToken.None);

        var (ns, name) = KubernetesPodProvider.ParsePodId(lease.PodId);
        Assert.Equal("ufb-pool", ns);
        Assert.StartsWith("ufb-gpu-", name, StringComparison.Ordinal);
        Assert.Equal("gpu", lease.NodePool);
        Assert.Equal($"http://127.0.0.1:{_cdp.Port}", lease.CdpHttpUrl);
        Assert.Matches($"^ws://127\\.0\\.0\\.1:{_cdp.Port}/devtools/browser/[0-9a-f-]+$", lease.CdpWebSocketUrl);
        var labels = Labels(_api.Get("pods", ns, name)!);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["app.kubernetes.io/managed-by"] = "ufbrowsers",
                ["app.kubernetes.io/component"] = "browser",
                ["ufbrowsers.io/pool"] = "gpu",
            },
            labels);
    }

    [Fact]
    public async Task The_pod_spec_is_hardened_and_placed_by_its_node_pool()
    {
        using var provider = Provider();

        var lease = await provider.CreateAsync("gpu", CancellationToken.None);

        var (ns, name) = KubernetesPodProvider.ParsePodId(lease.PodId);
        var spec = _api.Get("pods", ns, name)!["spec"]!;
        Assert.False(spec["automountServiceAccountToken"]!.GetValue<bool>());
        Assert.False(spec["enableServiceLinks"]!.GetValue<bool>());
        Assert.Equal("Never", spec["restartPolicy"]!.GetValue<string>());
        Assert.Equal("""{"fsGroup":1000,"runAsGroup":1000,"runAsNonRoot":true,"runAsUser":1000,"seccompProfile":{"type":"RuntimeDefault"}}""", spec["securityContext"]!.ToJsonString());
        Assert.Equal("""{"pool":"gpu"}""", spec["nodeSelector"]!.ToJsonString());
        Assert.Equal("""[{"effect":"NoSchedule","key":"dedicated","operator":"Equal","value":"browsers"}]""", spec["tolerations"]!.ToJsonString());

        var container = spec["containers"]![0]!;
        Assert.Equal("example/chromium:gpu", container["image"]!.GetValue<string>());
        Assert.Equal(
            """{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]},"privileged":false,"readOnlyRootFilesystem":true,"runAsNonRoot":true,"seccompProfile":{"type":"RuntimeDefault"}}""",
            container["securityContext"]!.ToJsonString());
        Assert.Equal("""{"limits":{"cpu":"2","memory":"4Gi"},"requests":{"cpu":"1","memory":"2Gi"}}""", container["resources"]!.ToJsonString());
        Assert.Equal(
            """[{"mountPath":"/profile","name":"profile"},{"mountPath":"/tmp","name":"tmp"},{"mountPath":"/dev/shm","name":"dshm"}]""",
            container["volumeMounts"]!.ToJsonString());
        Assert.Equal("Memory", spec["volumes"]![2]!["emptyDir"]!["medium"]!.GetValue<string>());
        Assert.Equal(_cdp.Port, container["ports"]![0]!["containerPort"]!.GetValue<int>());
    }

    [Fact]
    public async Task Assigning_labels_the_pod_with_session_and_tenant_and_deleting_removes_it()
    {
        using var provider = Provider();
        var lease = await provider.CreateAsync("default", CancellationToken.None);
        var (ns, name) = KubernetesPodProvider.ParsePodId(lease.PodId);

        await provider.AssignAsync(lease, new PodAssignment("ses_1", "cus-1", "ufb-t-cus-1"), CancellationToken.None);

        var labels = Labels(_api.Get("pods", ns, name)!);
        Assert.Equal("ses_1", labels["ufbrowsers.io/session"]);
        Assert.Equal("cus-1", labels["ufbrowsers.io/tenant"]);
        Assert.Equal("default", labels["ufbrowsers.io/pool"]);

        await provider.DeleteAsync(lease, CancellationToken.None);
        await provider.DeleteAsync(lease, CancellationToken.None);

        Assert.Null(_api.Get("pods", ns, name));
    }

    [Fact]
    public async Task An_on_demand_pod_goes_to_the_tenant_namespace_already_labelled()
    {
        using var provider = Provider();

        var lease = await provider.CreateAsync("default", CancellationToken.None, new PodAssignment("ses_2", "cus-1", "ufb-t-cus-1"));

        var (ns, name) = KubernetesPodProvider.ParsePodId(lease.PodId);
        Assert.Equal("ufb-t-cus-1", ns);
        var labels = Labels(_api.Get("pods", ns, name)!);
        Assert.Equal(("ses_2", "cus-1"), (labels["ufbrowsers.io/session"], labels["ufbrowsers.io/tenant"]));
    }

    [Fact]
    public async Task A_pod_whose_devtools_never_answer_times_out_and_is_deleted()
    {
        _cdp.Answering = false;
        using var provider = Provider(startTimeout: TimeSpan.FromMilliseconds(600));

        await Assert.ThrowsAsync<TimeoutException>(() => provider.CreateAsync("default", CancellationToken.None));

        Assert.Empty(_api.List("pods"));
    }

    [Fact]
    public async Task A_pod_that_fails_to_start_is_deleted_and_the_failure_reported()
    {
        _api.PodPhaseOnCreate = "Failed";
        using var provider = Provider();

        await Assert.ThrowsAsync<InvalidOperationException>(() => provider.CreateAsync("default", CancellationToken.None));

        Assert.Empty(_api.List("pods"));
    }

    private KubernetesPodProvider Provider(TimeSpan? startTimeout = null) => new(
        _api.Client(),
        Options.Create(new KubernetesPodOptions
        {
            CdpPort = _cdp.Port,
            PollInterval = TimeSpan.FromMilliseconds(20),
            StartTimeout = startTimeout ?? TimeSpan.FromSeconds(10),
            NodePools =
            {
                ["gpu"] = new KubernetesNodePoolOptions
                {
                    Image = "example/chromium:gpu",
                    NodeSelector = { ["pool"] = "gpu" },
                    Tolerations = [new TolerationOptions { Key = "dedicated", Value = "browsers", Effect = "NoSchedule" }],
                    Resources = new BrowserResources { CpuRequestMillicores = 1000, CpuLimitMillicores = 2000, MemoryRequestMebibytes = 2048, MemoryLimitMebibytes = 4096 },
                },
            },
        }),
        NullLogger<KubernetesPodProvider>.Instance);

    internal static JsonObject Namespace(string name) =>
        new() { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name }, ["status"] = new JsonObject { ["phase"] = "Active" } };

    private static Dictionary<string, string> Labels(JsonObject obj) =>
        obj["metadata"]!["labels"]!.AsObject().ToDictionary(e => e.Key, e => e.Value!.GetValue<string>());
}
