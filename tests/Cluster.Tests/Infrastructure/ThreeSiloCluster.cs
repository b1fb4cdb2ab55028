using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Silo.Hosting;
using UFBrowsers.Silo.Persistence;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Cluster.Tests.Infrastructure;

/// <summary>Three in-process silos sharing one PostgreSQL database for membership, grain state, reminders and the ledger.</summary>
public static class ThreeSiloCluster
{
    // In-process silos are built by the test host, so they reach the shared fake pods through a static.
    internal static readonly FakePodProvider Pods = new();

    private static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(5);

    public static async Task<TestCluster> StartAsync(string connectionString)
    {
        var builder = new TestClusterBuilder(3);
        builder.Options.ServiceId = "svc-" + Guid.NewGuid().ToString("N")[..8];
        builder.Options.ClusterId = "cluster-" + Guid.NewGuid().ToString("N")[..8];
        builder.Options.UseTestClusterMembership = false;
        builder.Properties["UFBrowsers:Postgres:ConnectionString"] = connectionString;
        builder.Properties["UFBrowsers:Billing:Plans:professional:MonthlyPriceCents"] = "4900";
        builder.Properties["UFBrowsers:Billing:Plans:professional:CreditsPerPeriod"] = "5000";
        builder.Properties["UFBrowsers:Billing:Plans:professional:ConcurrencyLimit"] = "100";
        builder.Properties["UFBrowsers:Billing:Plans:professional:MaxSessionMinutes"] = "60";
        builder.Properties["UFBrowsers:Pods:NodePools:default:WarmTarget"] = "2";
        builder.Properties["UFBrowsers:Pods:NodePools:default:MaxPods"] = "10000";
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.UsePostgres();
            siloBuilder.Services.AddUFBrowsersGrainServices(siloBuilder.Configuration);
            siloBuilder.Services.AddSingleton<IPodProvider>(Pods);
            siloBuilder.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
            // A killed silo must be declared dead in seconds, not the production default of about a minute.
            siloBuilder.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
            });
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            clientBuilder.UseAdoNetClustering(options =>
            {
                options.Invariant = PostgresSiloBuilderExtensions.Invariant;
                options.ConnectionString = configuration["UFBrowsers:Postgres:ConnectionString"];
            });
            clientBuilder.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
            clientBuilder.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
        }
    }
}
