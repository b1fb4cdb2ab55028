using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using k8s.Autorest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UFBrowsers.Customers;
using UFBrowsers.Grains.Telemetry;
using UFBrowsers.Grains.Tenants;
using UFBrowsers.Kubernetes.Tests.Infrastructure;
using UFBrowsers.Silo.Kubernetes;

namespace UFBrowsers.Kubernetes.Tests;

public sealed class KubernetesTenantProvisionerTests : IAsyncLifetime
{
    private static readonly Plan Starter = new("starter", 900, 500, 2, 5);
    private static readonly Plan Professional = new("professional", 4900, 5000, 10, 60);

    private FakeKubernetesApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeKubernetesApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Provisions_the_namespace_with_its_labels()
    {
        await Provisioner().EnsureProvisionedAsync(Spec("cus_a1", Professional), CancellationToken.None);

        var ns = _api.Get("namespaces", null, Ns("cus_a1"))!;
        Assert.Equal("Active", ns["status"]!["phase"]!.GetValue<string>());
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["app.kubernetes.io/managed-by"] = "ufbrowsers",
                ["ufbrowsers.io/owner"] = "test-install",
                ["ufbrowsers.io/tenant"] = "cus_a1",
                ["ufbrowsers.io/plan"] = "professional",
                ["pod-security.kubernetes.io/enforce"] = "restricted",
            },
            Labels(ns));
        Assert.Equal("cus_a1", ns["metadata"]!["annotations"]!["ufbrowsers.io/customer-id"]!.GetValue<string>());
        Assert.Equal("test-install", ns["metadata"]!["annotations"]!["ufbrowsers.io/owner"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("starter", 2, "1", "2", "2Gi", "4Gi")]
    [InlineData("professional", 10, "5", "10", "10Gi", "20Gi")]
    // Quantities arrive in canonical form (the client serialises them as the API server would store them).
    public async Task The_quota_is_the_plans_concurrency_times_one_browser(
        string plan, int sessions, string requestsCpu, string limitsCpu, string requestsMemory, string limitsMemory)
    {
        var p = plan == "starter" ? Starter : Professional;

        await Provisioner().EnsureProvisionedAsync(Spec("cus_q", p), CancellationToken.None);

        var quota = _api.Get("resourcequotas", Ns("cus_q"), "ufb-quota")!;
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["pods"] = sessions.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["requests.cpu"] = requestsCpu,
                ["limits.cpu"] = limitsCpu,
                ["requests.memory"] = requestsMemory,
                ["limits.memory"] = limitsMemory,
            },
            quota["spec"]!["hard"]!.AsObject().ToDictionary(e => e.Key, e => e.Value!.GetValue<string>()));
        Assert.Equal("ufbrowsers", Labels(quota)["app.kubernetes.io/managed-by"]);
        Assert.Equal("test-install", Labels(quota)["ufbrowsers.io/owner"]);
        Assert.Equal("cus_q", Labels(quota)["ufbrowsers.io/tenant"]);
    }

    [Fact]
    public async Task The_limit_range_gives_each_container_one_browsers_share()
    {
        await Provisioner().EnsureProvisionedAsync(Spec("cus_l", Starter), CancellationToken.None);

        var limit = _api.Get("limitranges", Ns("cus_l"), "ufb-limits")!["spec"]!["limits"]![0]!;
        Assert.Equal("Container", limit["type"]!.GetValue<string>());
        Assert.Equal("""{"cpu":"1","memory":"2Gi"}""", limit["default"]!.ToJsonString());
        Assert.Equal("""{"cpu":"500m","memory":"1Gi"}""", limit["defaultRequest"]!.ToJsonString());
        Assert.Equal("""{"cpu":"1","memory":"2Gi"}""", limit["max"]!.ToJsonString());
    }

    [Fact]
    public async Task The_network_policy_admits_only_the_gateway_and_lets_out_only_dns_and_the_internet()
    {
        await Provisioner().EnsureProvisionedAsync(Spec("cus_n", Starter), CancellationToken.None);

        var spec = _api.Get("networkpolicies", Ns("cus_n"), "ufb-isolation")!["spec"]!;
        var expected = JsonNode.Parse("""
            {
              "egress": [
                {
                  "ports": [ { "port": 53, "protocol": "UDP" }, { "port": 53, "protocol": "TCP" } ],
                  "to": [ {
                    "namespaceSelector": { "matchLabels": { "kubernetes.io/metadata.name": "kube-system" } },
                    "podSelector": { "matchLabels": { "k8s-app": "kube-dns" } }
                  } ]
                },
                {
                  "to": [ { "ipBlock": {
                    "cidr": "0.0.0.0/0",
                    "except": [ "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.169.254/32" ]
                  } } ]
                }
              ],
              "ingress": [
                {
                  "from": [ {
                    "namespaceSelector": { "matchLabels": { "kubernetes.io/metadata.name": "ufbrowsers" } },
                    "podSelector": { "matchLabels": { "app.kubernetes.io/name": "ufbrowsers" } }
                  } ],
                  "ports": [ { "port": 9222, "protocol": "TCP" }, { "port": 9224, "protocol": "TCP" } ]
                }
              ],
              "podSelector": {},
              "policyTypes": [ "Ingress", "Egress" ]
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, spec), spec.ToJsonString());
    }

    [Fact]
    public async Task Blocked_ranges_and_the_gateway_are_configurable_and_metadata_stays_blocked()
    {
        var options = new KubernetesTenantOptions
        {
            GatewayNamespace = "edge",
            GatewayPodLabels = { ["app"] = "gateway" },
            BlockedCidrs = ["100.64.0.0/10"],
        };

        await Provisioner(options).EnsureProvisionedAsync(Spec("cus_c", Starter), CancellationToken.None);

        var spec = _api.Get("networkpolicies", Ns("cus_c"), "ufb-isolation")!["spec"]!;
        Assert.Equal("""["100.64.0.0/10","169.254.169.254/32"]""", spec["egress"]![1]!["to"]![0]!["ipBlock"]!["except"]!.ToJsonString());
        var from = spec["ingress"]![0]!["from"]![0]!;
        Assert.Equal("edge", from["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"]!.GetValue<string>());
        Assert.Equal("""{"app":"gateway"}""", from["podSelector"]!["matchLabels"]!.ToJsonString());
    }

    [Fact]
    public async Task A_retry_after_a_failure_midway_completes_by_replacing_what_exists()
    {
        var provisioner = Provisioner();
        _api.Fail("POST", "limitranges");

        await Assert.ThrowsAsync<HttpOperationException>(() => provisioner.EnsureProvisionedAsync(Spec("cus_r", Starter), CancellationToken.None));
        Assert.NotNull(_api.Get("resourcequotas", Ns("cus_r"), "ufb-quota"));
        Assert.Null(_api.Get("limitranges", Ns("cus_r"), "ufb-limits"));
        var quotaVersion = ResourceVersion(_api.Get("resourcequotas", Ns("cus_r"), "ufb-quota")!);

        await provisioner.EnsureProvisionedAsync(Spec("cus_r", Starter), CancellationToken.None);

        Assert.Single(_api.List("namespaces"));
        Assert.Single(_api.List("resourcequotas", Ns("cus_r")));
        Assert.Single(_api.List("limitranges", Ns("cus_r")));
        Assert.Single(_api.List("networkpolicies", Ns("cus_r")));
        Assert.True(ResourceVersion(_api.Get("resourcequotas", Ns("cus_r"), "ufb-quota")!) > quotaVersion);
        Assert.Contains($"PUT /api/v1/namespaces/{Ns("cus_r")}/resourcequotas/ufb-quota", _api.Requests);
    }

    [Fact]
    public async Task A_plan_change_replaces_the_quota()
    {
        var provisioner = Provisioner();
        await provisioner.EnsureProvisionedAsync(Spec("cus_p", Starter), CancellationToken.None);

        await provisioner.EnsureProvisionedAsync(Spec("cus_p", Professional), CancellationToken.None);

        Assert.Equal("10", _api.Get("resourcequotas", Ns("cus_p"), "ufb-quota")!["spec"]!["hard"]!["pods"]!.GetValue<string>());
        Assert.Equal("professional", Labels(_api.Get("namespaces", null, Ns("cus_p"))!)["ufbrowsers.io/plan"]);
    }

    [Fact]
    public async Task A_namespace_still_terminating_is_not_reported_as_provisioned()
    {
        _api.GracePeriodScale = 1;
        var provisioner = Provisioner();
        await provisioner.EnsureProvisionedAsync(Spec("cus_t", Starter), CancellationToken.None);
        _api.Seed("pods", BrowserPod(Ns("cus_t"), "lingering"));
        await provisioner.TearDownAsync(Ns("cus_t"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<TenantNamespaceTerminatingException>(() => provisioner.EnsureProvisionedAsync(Spec("cus_t", Starter), CancellationToken.None));

        Assert.Contains("still being deleted", error.Message, StringComparison.Ordinal);
        Assert.Contains($"POST /api/v1/namespaces", _api.Requests);
        Assert.Equal("Terminating", _api.Get("namespaces", null, Ns("cus_t"))!["status"]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_namespace_someone_else_made_under_the_name_is_neither_adopted_nor_changed()
    {
        var (metrics, conflicts) = CountedMetrics();
        var spec = Spec("cus_x", Starter);
        _api.Seed("namespaces", Namespace(spec.Namespace, labels: new() { ["team"] = "payments" }));
        var before = _api.Get("namespaces", null, spec.Namespace)!;

        var error = await Assert.ThrowsAsync<TenantNamespaceConflictException>(() => Provisioner(metrics: metrics).EnsureProvisionedAsync(spec, CancellationToken.None));

        Assert.Contains("no ufbrowsers.io/owner label", error.Message, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(before, _api.Get("namespaces", null, spec.Namespace)), "the namespace is left as it was");
        Assert.Empty(_api.List("resourcequotas", spec.Namespace));
        Assert.DoesNotContain(_api.Requests, r => r.StartsWith("PUT", StringComparison.Ordinal));
        Assert.Equal(["provision"], conflicts);
    }

    [Theory]
    [InlineData("other-install", "cus_y", "belongs to installation 'other-install'")]
    [InlineData("test-install", "someone-else", "customer 'someone-else'")]
    public async Task Another_installations_or_another_customers_namespace_is_not_adopted(string owner, string customer, string problem)
    {
        var spec = Spec("cus_y", Starter);
        _api.Seed("namespaces", Namespace(spec.Namespace, labels: new() { ["ufbrowsers.io/owner"] = owner }, customer: customer));

        var error = await Assert.ThrowsAsync<TenantNamespaceConflictException>(() => Provisioner().EnsureProvisionedAsync(spec, CancellationToken.None));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Empty(_api.List("resourcequotas", spec.Namespace));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("other-install", "cus_z")]
    [InlineData("test-install", "not-the-customer-this-name-was-made-for")]
    public async Task Teardown_refuses_a_namespace_it_does_not_own_and_deletes_nothing(string? owner, string? customer)
    {
        var (metrics, conflicts) = CountedMetrics();
        var name = Ns("cus_z");
        _api.Seed("namespaces", Namespace(name, labels: owner is null ? [] : new() { ["ufbrowsers.io/owner"] = owner }, customer: customer));

        await Assert.ThrowsAsync<TenantNamespaceConflictException>(() => Provisioner(metrics: metrics).TearDownAsync(name, CancellationToken.None));

        Assert.Null(_api.Get("namespaces", null, name)!["metadata"]!["deletionTimestamp"]);
        Assert.DoesNotContain(_api.Requests, r => r.StartsWith("DELETE", StringComparison.Ordinal));
        Assert.Equal(["delete"], conflicts);
    }

    [Fact]
    public async Task Kube_system_is_never_deleted()
    {
        _api.Seed("namespaces", Namespace("kube-system", labels: []));

        await Assert.ThrowsAsync<TenantNamespaceConflictException>(() => Provisioner().TearDownAsync("kube-system", CancellationToken.None));

        Assert.Equal("Active", _api.Get("namespaces", null, "kube-system")!["status"]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task Teardown_deletes_the_namespace_with_everything_in_it_and_is_idempotent()
    {
        var provisioner = Provisioner();
        await provisioner.EnsureProvisionedAsync(Spec("cus_d", Starter), CancellationToken.None);

        await provisioner.TearDownAsync(Ns("cus_d"), CancellationToken.None);
        await provisioner.TearDownAsync(Ns("cus_d"), CancellationToken.None);

        Assert.Empty(_api.List("resourcequotas"));
        Assert.Empty(_api.List("networkpolicies"));
        Assert.Single(_api.Requests, r => r.StartsWith($"DELETE /api/v1/namespaces/{Ns("cus_d")}", StringComparison.Ordinal));
        await Eventually.True(() => Task.FromResult(_api.List("namespaces").Count == 0), TimeSpan.FromSeconds(10), "the namespace is gone");
        await provisioner.TearDownAsync(Ns("cus_d"), CancellationToken.None);
    }

    private KubernetesTenantProvisioner Provisioner(KubernetesTenantOptions? options = null, UFBrowsersMetrics? metrics = null) =>
        new(_api.Client(), Options.Create(options ?? new KubernetesTenantOptions()), Options.Create(new KubernetesOptions { Owner = "test-install" }),
            metrics ?? CountedMetrics().Metrics, NullLogger<KubernetesTenantProvisioner>.Instance);

    private static string Ns(string customerId) => UFBrowsers.Grains.Customers.TenantNamespace.For(customerId);

    /// <summary>Metrics whose namespace-conflict counter is recorded into a list (the operation tag of each count).</summary>
    private static (UFBrowsersMetrics Metrics, List<string> Conflicts) CountedMetrics()
    {
        var factory = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var conflicts = new List<string>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == "ufbrowsers.kubernetes.namespace.conflicts")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            lock (conflicts)
            {
                conflicts.Add(tags.ToArray().Single(t => t.Key == UFBrowsersMetrics.OperationTag).Value!.ToString()!);
            }
        });
        listener.Start();
        return (new UFBrowsersMetrics(factory), conflicts);
    }

    private static JsonObject Namespace(string name, Dictionary<string, string> labels, string? customer = null)
    {
        var metadata = new JsonObject { ["name"] = name, ["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))) };
        if (customer is not null)
        {
            metadata["annotations"] = new JsonObject { ["ufbrowsers.io/customer-id"] = customer };
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = metadata, ["status"] = new JsonObject { ["phase"] = "Active" } };
    }

    private static JsonObject BrowserPod(string ns, string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject { ["terminationGracePeriodSeconds"] = 5 },
        ["status"] = new JsonObject { ["phase"] = "Running" },
    };

    private static TenantSpec Spec(string customerId, Plan plan) =>
        new(customerId, UFBrowsers.Grains.Customers.TenantNamespace.For(customerId), plan);

    private static Dictionary<string, string> Labels(JsonObject obj) =>
        obj["metadata"]!["labels"]!.AsObject().ToDictionary(e => e.Key, e => e.Value!.GetValue<string>());

    private static long ResourceVersion(JsonObject obj) => long.Parse(obj["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
}
