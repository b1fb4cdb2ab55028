using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;
using Orleans.TestingHost;
using UFBrowsers.Grains;
using UFBrowsers.Grains.Billing;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Silo.Hosting;
using UFBrowsers.Silo.Persistence;
using UFBrowsers.TestSupport;
using UFBrowsers.TestSupport.Faults;

namespace UFBrowsers.Cluster.Tests.Infrastructure;

/// <summary>
/// Two silos on one PostgreSQL database (membership, grain state, reminders, ledger) with every crash seam open: a
/// <see cref="FaultPlan"/> on ledger writes, grain state writes and pod operations, so a test can hold a call at a chosen
/// step and kill the silo it runs on; business time that a test can move a minute on while timers run in real time; and
/// short periods (reminder 3 s, liveness check 2 s, sweep 2 s, claim timeout 6 s), set through configuration.
/// </summary>
/// <remarks>
/// Pods either outlive silos (one provider for the cluster, as Kubernetes pods do) or die with the silo whose pool made
/// them (one provider per silo, as local Chromium's do). A killed silo is replaced, so two silos stay up.
/// </remarks>
public sealed class CrashCluster : IAsyncDisposable
{
    // In-process silos are built by the test host, so they reach these through statics; tests of a collection run one at a time.
    internal static readonly FaultPlan Faults = new();
    internal static readonly ShiftableClock Clock = new();
    private static readonly ConcurrentDictionary<string, FakePodProvider> s_podsBySilo = new(StringComparer.Ordinal);
    private static FakePodProvider s_sharedPods = new();
    private static volatile bool s_podsDieWithTheirSilo;

    private static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(10);

    private CrashCluster(TestCluster cluster) => Cluster = cluster;

    public TestCluster Cluster { get; }

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>When the last kill happened (before its replacement silo started), to measure recovery from.</summary>
    public DateTime KilledAt { get; private set; }

    public TimeSpan SinceKill => DateTime.UtcNow - KilledAt;

    /// <summary>Every provider whose pods may still live (a killed silo's own provider is left out once its pods died).</summary>
    public IReadOnlyList<FakePodProvider> Pods => s_podsDieWithTheirSilo ? [.. s_podsBySilo.Values] : [s_sharedPods];

    public static async Task<CrashCluster> StartAsync(string connectionString, bool podsDieWithTheirSilo = false)
    {
        Faults.Clear();
        s_podsBySilo.Clear();
        s_sharedPods = new FakePodProvider { Clock = Clock };
        s_podsDieWithTheirSilo = podsDieWithTheirSilo;

        var builder = new TestClusterBuilder(2);
        builder.Options.ServiceId = "crash-" + Guid.NewGuid().ToString("N")[..8];
        builder.Options.ClusterId = "crash-" + Guid.NewGuid().ToString("N")[..8];
        builder.Options.UseTestClusterMembership = false;
        var settings = new Dictionary<string, string?>
        {
            ["UFBrowsers:Postgres:ConnectionString"] = connectionString,
            ["UFBrowsers:Sessions:FirstConnectTimeoutSeconds"] = "0",
            ["UFBrowsers:Sessions:IdleTimeoutSeconds"] = "0",
            ["UFBrowsers:Sessions:ReminderSeconds"] = "3",
            ["UFBrowsers:Sessions:LivenessCheckSeconds"] = "2",
            ["UFBrowsers:Pods:NodePools:default:WarmTarget"] = "2",
            ["UFBrowsers:Pods:NodePools:default:MaxPods"] = "1000",
            ["UFBrowsers:Pods:AcquireTimeoutSeconds"] = "3",
            ["UFBrowsers:Pods:LivenessMaxAgeSeconds"] = "1",
            ["UFBrowsers:Pods:SweepSeconds"] = "2",
            ["UFBrowsers:Pods:ClaimTimeoutSeconds"] = "6",
            ["UFBrowsers:GatewayLease:LeaseSeconds"] = "3",
            ["UFBrowsers:GatewayLease:RenewSeconds"] = "1",
        };
        foreach (var (key, value) in settings.Concat(TestPlans.Configuration))
        {
            builder.Properties[key] = value;
        }

        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new CrashCluster(cluster);
    }

    /// <summary>Kills the silo (no shutdown: its calls in flight, held ones included, never return) and starts another in its place.</summary>
    public async Task KillAsync(string siloName)
    {
        var silo = Cluster.Silos.Single(s => s.Name == siloName);
        KilledAt = DateTime.UtcNow;
        await Cluster.KillSiloAsync(silo);
        if (s_podsDieWithTheirSilo && s_podsBySilo.TryGetValue(siloName, out var pods))
        {
            pods.LoseAll();
        }

        await Cluster.StartAdditionalSiloAsync();
    }

    /// <summary>The silo whose provider made the pod (pods die with their silo), or null.</summary>
    public string? SiloOfPod(string podId) => s_podsBySilo.FirstOrDefault(p => p.Value.Live.ContainsKey(podId)).Key;

    public async ValueTask DisposeAsync()
    {
        Faults.Clear();
        await Cluster.DisposeAsync();
        // A killed silo never closes its connection pools; in this process they would hold the shared server's connections.
        NpgsqlConnection.ClearAllPools();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        private const string InnerStorage = "grains-inner";

        public void Configure(ISiloBuilder siloBuilder)
        {
            var connectionString = siloBuilder.Configuration["UFBrowsers:Postgres:ConnectionString"]!;
            siloBuilder.UsePostgres();
            siloBuilder.Services.AddUFBrowsersGrainServices(siloBuilder.Configuration);
            siloBuilder.Services.AddKeyedSingleton<TimeProvider>(UFBrowsersClock.Key, Clock);

            // The product's storage behind the fault plan: grain state under another name, the ledger wrapped.
            siloBuilder.AddAdoNetGrainStorage(InnerStorage, options =>
            {
                options.Invariant = PostgresSiloBuilderExtensions.Invariant;
                options.ConnectionString = PostgresOptions.ForSilo(connectionString);
            });
            siloBuilder.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Grains, (sp, _) => new ParticipatingGrainStorage(
                new FaultInjectingGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>(InnerStorage), Faults, SiloName(sp))));
            siloBuilder.Services.AddSingleton<ILedgerStore>(sp =>
                new FaultInjectingLedgerStore(ActivatorUtilities.CreateInstance<PostgresLedgerStore>(sp), Faults, SiloName(sp)));
            siloBuilder.Services.AddSingleton<IPodProvider>(sp => new SiloPodProvider(
                s_podsDieWithTheirSilo ? s_podsBySilo.GetOrAdd(SiloName(sp), _ => new FakePodProvider { Clock = Clock }) : s_sharedPods,
                Faults,
                SiloName(sp)));

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

        private static string SiloName(IServiceProvider services) => services.GetRequiredService<ILocalSiloDetails>().Name;
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
