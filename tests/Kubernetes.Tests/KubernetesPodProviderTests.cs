using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Kubernetes.Tests.Infrastructure;
using UFBrowsers.Silo.Kubernetes;

namespace UFBrowsers.Kubernetes.Tests;

public sealed class KubernetesPodProviderTests : IAsyncLifetime
{
    private const string Tenant = "ufb-t-cus-1-aaaaaaaaaaaa";

    private FakeKubernetesApi _api = null!;
    private FakeCdpEndpoint _cdp = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        _cdp = await FakeCdpEndpoint.StartAsync();
        _api.Seed("namespaces", Namespace("ufb-pool"));
        _api.Seed("namespaces", Namespace(Tenant));
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
                ["ufbrowsers.io/owner"] = "test-install",
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
        Assert.Equal("""{"fsGroup":10001,"runAsGroup":10001,"runAsNonRoot":true,"runAsUser":10001,"seccompProfile":{"type":"RuntimeDefault"}}""", spec["securityContext"]!.ToJsonString());
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
        Assert.Contains(container["env"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "CDP_PORT" && e["value"]!.GetValue<string>() == _cdp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // The file endpoint of the browser image (downloads out, uploads in), on a port of its own.
        Assert.Equal(("files", 9224), (container["ports"]![1]!["name"]!.GetValue<string>(), container["ports"]![1]!["containerPort"]!.GetValue<int>()));
        Assert.Contains(container["env"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "FILES_PORT" && e["value"]!.GetValue<string>() == "9224");
        Assert.Contains(container["env"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "UPLOADS_DIR" && e["value"]!.GetValue<string>() == "/tmp/uploads");
    }

    [Fact]
    public async Task A_pending_pod_is_followed_by_a_watch_until_it_runs_without_polling_the_api_server()
    {
        _api.PodStartDelay = TimeSpan.FromSeconds(1.5);
        using var provider = Provider();

        var lease = await provider.CreateAsync("default", CancellationToken.None);

        var (ns, name) = KubernetesPodProvider.ParsePodId(lease.PodId);
        Assert.Equal("Running", _api.Get("pods", ns, name)!["status"]!["phase"]!.GetValue<string>());
        var requests = _api.Requests.ToList();
        Assert.Contains(requests, r => r.StartsWith($"GET /api/v1/namespaces/{ns}/pods?", StringComparison.Ordinal)
                                       && r.Contains("watch=true", StringComparison.Ordinal) && r.Contains($"metadata.name%3D{name}", StringComparison.Ordinal));
        Assert.DoesNotContain(requests, r => r.StartsWith($"GET /api/v1/namespaces/{ns}/pods/{name}", StringComparison.Ordinal));
        Assert.Equal(1, requests.Count(r => r.StartsWith("GET", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_pod_deleted_while_pending_fails_its_start()
    {
        _api.PodStartDelay = TimeSpan.FromSeconds(30);
        using var provider = Provider();

        var start = provider.CreateAsync("default", CancellationToken.None);
        await Eventually.True(() => Task.FromResult(_api.List("pods", "ufb-pool").Count == 1), TimeSpan.FromSeconds(10), "the pod is created");
        _api.Remove("pods", "ufb-pool", _api.List("pods", "ufb-pool")[0]["metadata"]!["name"]!.GetValue<string>());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => start);
        Assert.Contains("deleted before DevTools answered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assigning_labels_the_pod_and_deleting_leaves_it_terminating_for_its_grace_period_then_gone()
    {
        _api.GracePeriodScale = 0.2;
        using var provider = Provider();
        var lease = await provider.CreateAsync("default", CancellationToken.None);
        var (ns, name) = KubernetesPodProvider.ParsePodId(lease.PodId);

        await provider.AssignAsync(lease, new PodAssignment("ses_1", "cus-1", Tenant), CancellationToken.None);

        var labels = Labels(_api.Get("pods", ns, name)!);
        Assert.Equal("ses_1", labels["ufbrowsers.io/session"]);
        Assert.Equal("cus-1", labels["ufbrowsers.io/tenant"]);
        Assert.Equal("default", labels["ufbrowsers.io/pool"]);

        await provider.DeleteAsync(lease, CancellationToken.None);
        await provider.DeleteAsync(lease, CancellationToken.None);

        var terminating = _api.Get("pods", ns, name)!;
        Assert.NotNull(terminating["metadata"]!["deletionTimestamp"]);
        Assert.Equal(5, terminating["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<long>());
        await Eventually.True(() => Task.FromResult(_api.Get("pods", ns, name) is null), TimeSpan.FromSeconds(10), "the pod is gone after its grace period");
    }

    [Fact]
    public async Task An_on_demand_pod_goes_to_the_tenant_namespace_already_labelled()
    {
        using var provider = Provider();

        var lease = await provider.CreateAsync("default", CancellationToken.None, new PodAssignment("ses_2", "cus-1", Tenant));

        var (ns, name) = KubernetesPodProvider.ParsePodId(lease.PodId);
        Assert.Equal(Tenant, ns);
        var labels = Labels(_api.Get("pods", ns, name)!);
        Assert.Equal(("ses_2", "cus-1"), (labels["ufbrowsers.io/session"], labels["ufbrowsers.io/tenant"]));
    }

    [Fact]
    public async Task A_quota_full_of_terminating_pods_is_waited_out_and_the_pod_made_when_they_are_gone()
    {
        _api.GracePeriodScale = 0.3;
        _api.Seed("resourcequotas", Quota(Tenant, pods: 1));
        using var provider = Provider();
        var first = await provider.CreateAsync("default", CancellationToken.None, new PodAssignment("ses_a", "cus-1", Tenant));
        await provider.DeleteAsync(first, CancellationToken.None);
        var firstName = KubernetesPodProvider.ParsePodId(first.PodId).Name;

        var second = await provider.CreateAsync("default", CancellationToken.None, new PodAssignment("ses_b", "cus-1", Tenant));

        Assert.Null(_api.Get("pods", Tenant, firstName));
        var secondName = KubernetesPodProvider.ParsePodId(second.PodId).Name;
        Assert.Equal("Running", _api.Get("pods", Tenant, secondName)!["status"]!["phase"]!.GetValue<string>());
        Assert.True(_api.Requests.Count(r => r == $"POST /api/v1/namespaces/{Tenant}/pods") >= 3, "the refused create was tried again");
    }

    [Fact]
    public async Task A_quota_that_stays_full_ends_in_a_timeout_naming_the_quota()
    {
        _api.Seed("resourcequotas", Quota(Tenant, pods: 1));
        using var provider = Provider(startTimeout: TimeSpan.FromSeconds(1.5));
        await provider.CreateAsync("default", CancellationToken.None, new PodAssignment("ses_a", "cus-1", Tenant));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => provider.CreateAsync("default", CancellationToken.None, new PodAssignment("ses_b", "cus-1", Tenant)));

        Assert.Contains("quota", error.Message, StringComparison.Ordinal);
        Assert.Single(_api.List("pods", Tenant));
    }

    [Fact]
    public async Task A_tenant_namespace_being_deleted_refuses_the_pod_at_once()
    {
        _api.GracePeriodScale = 1;
        using var provider = Provider();
        await provider.CreateAsync("default", CancellationToken.None, new PodAssignment("ses_a", "cus-1", Tenant));
        using (var client = _api.Client())
        {
            await k8s.CoreV1OperationsExtensions.DeleteNamespaceAsync(client.CoreV1, Tenant);
        }

        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<TenantNamespaceTerminatingException>(() => provider.CreateAsync("default", CancellationToken.None, new PodAssignment("ses_b", "cus-1", Tenant)));

        Assert.Contains("being terminated", error.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "refused without waiting for the start timeout");
        Assert.Equal("Terminating", _api.Get("namespaces", null, Tenant)!["status"]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_pod_whose_devtools_never_answer_times_out_and_is_deleted()
    {
        _cdp.Answering = false;
        using var provider = Provider(startTimeout: TimeSpan.FromMilliseconds(800));

        await Assert.ThrowsAsync<TimeoutException>(() => provider.CreateAsync("default", CancellationToken.None));

        Assert.All(_api.List("pods"), p => Assert.NotNull(p["metadata"]!["deletionTimestamp"]));
        await Eventually.True(() => Task.FromResult(_api.List("pods").Count == 0), TimeSpan.FromSeconds(10), "the pod is gone");
    }

    [Fact]
    public async Task A_pod_that_fails_to_start_is_deleted_and_the_failure_reported()
    {
        _api.PodPhaseOnCreate = "Failed";
        using var provider = Provider();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => provider.CreateAsync("default", CancellationToken.None));

        Assert.Contains("ended (Failed)", error.Message, StringComparison.Ordinal);
        Assert.All(_api.List("pods"), p => Assert.NotNull(p["metadata"]!["deletionTimestamp"]));
    }

    private KubernetesPodProvider Provider(TimeSpan? startTimeout = null) => new(
        _api.Client(),
        Options.Create(new KubernetesPodOptions
        {
            CdpPort = _cdp.Port,
            PollInterval = TimeSpan.FromMilliseconds(20),
            StartTimeout = startTimeout ?? TimeSpan.FromSeconds(15),
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
        Options.Create(new KubernetesOptions { Owner = "test-install" }),
        NullLogger<KubernetesPodProvider>.Instance);

    internal static JsonObject Namespace(string name, string owner = "ufbrowsers") =>
        new()
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["ufbrowsers.io/owner"] = owner } },
            ["status"] = new JsonObject { ["phase"] = "Active" },
        };

    private static JsonObject Quota(string ns, int pods) =>
        new()
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ResourceQuota",
            ["metadata"] = new JsonObject { ["name"] = "ufb-quota", ["namespace"] = ns },
            ["spec"] = new JsonObject { ["hard"] = new JsonObject { ["pods"] = pods.ToString(System.Globalization.CultureInfo.InvariantCulture), ["requests.memory"] = "100Gi" } },
        };

    private static Dictionary<string, string> Labels(JsonObject obj) =>
        obj["metadata"]!["labels"]!.AsObject().ToDictionary(e => e.Key, e => e.Value!.GetValue<string>());
}
