using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using UFBrowsers.Grains;
using UFBrowsers.Silo.Hosting;
using UFBrowsers.Silo.Kubernetes;

using UFBrowsers.TestSupport;

namespace UFBrowsers.Kubernetes.Tests.Infrastructure;

/// <summary>
/// An in-memory Orleans cluster whose tenant provisioner and pod provider are the Kubernetes adapters, pointed at the
/// fake API server. Reminders are in memory with a one-second period, so retries happen within a test.
/// </summary>
public sealed class KubernetesClusterFixture : IAsyncLifetime
{
    // In-process silos are built by the test host, which can only hand them statics.
    private static string s_apiUrl = "";
    private static int s_cdpPort;

    public FakeKubernetesApi Api { get; private set; } = null!;

    public FakeCdpEndpoint Cdp { get; private set; } = null!;

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public KubernetesPodReconciler Reconciler =>
        ((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services.GetRequiredService<KubernetesPodReconciler>();

    public async Task InitializeAsync()
    {
        Api = await FakeKubernetesApi.StartAsync();
        Cdp = await FakeCdpEndpoint.StartAsync();
        Api.Seed("namespaces", KubernetesPodProviderTests.Namespace("ufb-pool"));
        s_apiUrl = Api.Url;
        s_cdpPort = Cdp.Port;
        Cluster = new TestClusterBuilder(1).AddSiloBuilderConfigurator<SiloConfigurator>().Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Api.DisposeAsync();
        await Cdp.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["UFBrowsers:Pods:DefaultNodePool"] = "default",
                ["UFBrowsers:Pods:NodePools:default:WarmTarget"] = "1",
                ["UFBrowsers:Pods:NodePools:default:MaxPods"] = "20",
                ["UFBrowsers:Pods:NodePools:burst:WarmTarget"] = "0",
                ["UFBrowsers:Pods:NodePools:burst:MaxPods"] = "20",
                ["UFBrowsers:Tenants:RetryPeriod"] = "00:00:01",
                ["UFBrowsers:Tenants:InitialBackoff"] = "00:00:00.2",
                ["UFBrowsers:Tenants:MaxBackoff"] = "00:00:01",
                ["UFBrowsers:Kubernetes:Host"] = s_apiUrl,
                ["UFBrowsers:Kubernetes:Pods:CdpPort"] = s_cdpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["UFBrowsers:Kubernetes:Pods:PollInterval"] = "00:00:00.02",
                ["UFBrowsers:Kubernetes:Pods:StartTimeout"] = "00:00:10",
                ["UFBrowsers:Kubernetes:Reconciler:Enabled"] = "false",
                ["UFBrowsers:Kubernetes:Reconciler:GracePeriod"] = "00:01:00",
            }).AddInMemoryCollection(TestPlans.Configuration).Build();

            siloBuilder.AddUFBrowsersMemoryStorage();
            siloBuilder.Services.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            siloBuilder.Services.AddKubernetesTenantProvisioner(configuration);
            siloBuilder.Services.AddKubernetesPods(configuration);
            siloBuilder.Services.AddUFBrowsersGrainServices(configuration);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class KubernetesClusterCollection : ICollectionFixture<KubernetesClusterFixture>
{
    public const string Name = "kubernetes-cluster";
}
