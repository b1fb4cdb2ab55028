using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using UFBrowsers.BenchSupport;
using UFBrowsers.Customers;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Silo.Hosting;
using UFBrowsers.Silo.Persistence;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Bench.Drills;

/// <summary>
/// Three silos on PostgreSQL membership, grain storage and reminders; sessions flow through a cluster client while
/// one silo is killed (no shutdown) a third of the way in.
/// </summary>
internal static class SiloKillDrill
{
    private const string Name = "silo-kill";


    public static async Task<bool> RunAsync(DrillOptions options)
    {
        var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        TestCluster? cluster = null;
        try
        {
            var builder = new TestClusterBuilder(3);
            builder.Options.ServiceId = "drill-" + Guid.NewGuid().ToString("N")[..8];
            builder.Options.ClusterId = "drill-cluster";
            builder.Options.UseTestClusterMembership = false;
            foreach (var (key, value) in DrillSettings.ForSilo("Postgres", postgres.ConnectionString, warmTarget: 8))
            {
                builder.Properties[key] = value;
            }

            builder.AddSiloBuilderConfigurator<SiloConfigurator>();
            builder.AddClientBuilderConfigurator<ClientConfigurator>();
            cluster = builder.Build();
            var deploy = Stopwatch.StartNew();
            await cluster.DeployAsync();
            Console.WriteLine($"[{Name}] 3 silos on PostgreSQL up in {deploy.Elapsed.TotalSeconds:F1} s");

            var customers = await CreateCustomersAsync(cluster.Client, 32);
            var traffic = new SessionTraffic(new GrainSessionClient(cluster.Client), [.. customers.Select(c => c.Id)], options.Clients);
            var duration = TimeSpan.FromSeconds(options.Seconds);
            var run = traffic.RunAsync(duration);

            await Task.Delay(duration / 3);
            var victim = cluster.SecondarySilos[^1];
            var killedAt = Stopwatch.StartNew();
            var startedBefore = Interlocked.Read(ref traffic.Counts.Started);
            await cluster.KillSiloAsync(victim);
            SiloPods.Kill(victim.Name);
            Console.WriteLine($"[{Name}] killed {victim.Name} after {startedBefore} sessions started");
            await run;
            Console.WriteLine($"[{Name}] traffic for {options.Seconds} s: {traffic.Counts}");

            // Sessions that lived on the dead silo lost their timers; their customers' reminders wake them on a live silo within
            // a period, where they end (pod_lost when their browser died with the silo); holds of starts the kill cut are refunded.
            var wait = DrillSettings.RecoveryWait + TimeSpan.FromSeconds(5) - killedAt.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                Console.WriteLine($"[{Name}] waiting {wait.TotalSeconds:F0} s for the reminders of the dead silo's sessions");
                await Task.Delay(wait);
            }
            else
            {
                await Task.Delay(DrillSettings.RecoveryWait);
            }

            return await Invariants.CheckAsync(Name, cluster.Client, customers,
                traffic.Sessions.ToDictionary(e => e.Key, e => (IReadOnlyCollection<string>)e.Value), SiloPods.All);
        }
        finally
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }

            await postgres.DisposeAsync();
        }
    }

    public static async Task<IReadOnlyList<DrillCustomer>> CreateCustomersAsync(IGrainFactory grains, int count, long credits = 1_000_000)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var customers = Enumerable.Range(0, count).Select(i => new DrillCustomer($"drill-{run}-{i}", credits)).ToList();
        await Task.WhenAll(customers.Select(async c =>
        {
            var grain = grains.GetGrain<ICustomerGrain>(c.Id);
            await grain.Create("Drill " + c.Id, BenchSettings.Plan);
            await grain.ChangeSubscription(new SubscriptionChange(Status: SubscriptionStatus.Active, TenantProvisioned: true));
            await grain.AdjustCredits(credits, "drill grant", "grant-" + c.Id);
        }));
        return customers;
    }

    private static void TightMembership(ClusterMembershipOptions membership)
    {
        membership.ProbeTimeout = TimeSpan.FromSeconds(1);
        membership.NumMissedProbesLimit = 2;
        membership.NumVotesForDeathDeclaration = 2;
        membership.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        membership.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.UsePostgres();
            siloBuilder.Services.AddUFBrowsersGrainServices(siloBuilder.Configuration);
            siloBuilder.Services.AddSingleton<IPodProvider>(sp => SiloPods.For(sp.GetRequiredService<ILocalSiloDetails>().Name));
            siloBuilder.Configure<ClusterMembershipOptions>(TightMembership);
            siloBuilder.Configure<SiloMessagingOptions>(messaging => messaging.ResponseTimeout = TimeSpan.FromSeconds(10));
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            clientBuilder.UseAdoNetClustering(options =>
            {
                options.Invariant = PostgresSiloBuilderExtensions.Invariant;
                options.ConnectionString = configuration[PostgresOptions.SectionName + ":" + nameof(PostgresOptions.ConnectionString)];
            });
            clientBuilder.Configure<ClientMessagingOptions>(messaging => messaging.ResponseTimeout = TimeSpan.FromSeconds(10));
            clientBuilder.Configure<GatewayOptions>(gateways => gateways.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
        }
    }
}
