using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using UFBrowsers.Grains.Billing;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Grains.Sessions;
using UFBrowsers.Silo.Persistence.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using UFBrowsers.Grains.Tenants;
using UFBrowsers.Silo.Hosting;
using UFBrowsers.Silo.Tenants;
using UFBrowsers.TestSupport;
using UFBrowsers.TestSupport.Faults;
using Orleans.Storage;
using UFBrowsers.Grains.Audit;
using UFBrowsers.Grains.Files;
using UFBrowsers.Grains.Profiles;

namespace UFBrowsers.Grains.Tests.Infrastructure;

/// <summary>
/// One in-memory cluster for the whole collection. Tests use fresh customer and session ids instead of
/// resetting state. Time is a <see cref="FakeTimeProvider"/> that only the tests move.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    // In-process silos are built by the test host, so the fixture hands them these through statics.
    internal static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
    internal static readonly FakePodProvider Pods = new();
    internal static readonly LocalTenantProvisioner Tenants = new(NullLogger<LocalTenantProvisioner>.Instance);
    internal static readonly FaultPlan FaultPlan = new();
    internal static readonly ScriptedBrowserHook Hook = new(Pods);
    internal static readonly ScriptedPodCapacity Capacity = new(Pods);
    internal static readonly FakeBrowserProfiles BrowserProfiles = new();
    internal static readonly ScriptedPodFiles PodFilesScript = new();
    internal static readonly InMemorySessionFileStore SessionFileStore = new();
    internal static readonly InMemoryProfileStore ProfileStore = new();

    public TestCluster Cluster { get; } = new TestClusterBuilder(1)
        .AddSiloBuilderConfigurator<SiloConfigurator>()
        .Build();

    public IGrainFactory Grains => Cluster.GrainFactory;

    public FakeTimeProvider Time => Clock;

    public FakePodProvider PodProvider => Pods;

    public LocalTenantProvisioner TenantProvisioner => Tenants;

    /// <summary>Faults at the ledger's writes and grain state writes (pod faults are the pod provider's own plan).</summary>
    public FaultPlan Faults => FaultPlan;

    /// <summary>The scripted browser hook of the silo (after the product's own): records its calls, fails where a test scripts it.</summary>
    public ScriptedBrowserHook BrowserHook => Hook;

    /// <summary>How many pods of a pool the machine holds (the memory cap); pools not scripted are unbounded.</summary>
    public ScriptedPodCapacity PodCapacity => Capacity;

    /// <summary>What browsers were given and hold as profile state (the product's profile hook talks to this instead of CDP).</summary>
    public FakeBrowserProfiles Profiles => BrowserProfiles;

    /// <summary>Pods' downloads and uploads (the product's downloads hook reads these).</summary>
    public ScriptedPodFiles PodFiles => PodFilesScript;

    public InMemorySessionFileStore SessionFiles => SessionFileStore;

    /// <summary>The profile store behind the fault plan's profile steps.</summary>
    public InMemoryProfileStore ProfileRows => ProfileStore;

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        private const string InnerStorage = "grains-inner";

        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                // Off by default here so billing tests can move time without connecting; timer tests set them per request.
                ["UFBrowsers:Sessions:FirstConnectTimeoutSeconds"] = "0",
                ["UFBrowsers:Sessions:IdleTimeoutSeconds"] = "0",
                ["UFBrowsers:Pods:DefaultNodePool"] = "default",
                ["UFBrowsers:Pods:NodePools:default:WarmTarget"] = "2",
                ["UFBrowsers:Pods:NodePools:default:MaxPods"] = "1000",
                ["UFBrowsers:Pods:NodePools:gpu:WarmTarget"] = "0",
                ["UFBrowsers:Pods:NodePools:gpu:MaxPods"] = "1000",
                // Pools whose warm target follows demand, for the pool's own tests (PodPoolDemandTests).
                ["UFBrowsers:Pods:NodePools:surge:MinWarm"] = "1",
                ["UFBrowsers:Pods:NodePools:surge:MaxWarm"] = "6",
                ["UFBrowsers:Pods:NodePools:surge:MaxPods"] = "8",
                ["UFBrowsers:Pods:NodePools:surge:MaxParallelStarts"] = "2",
                ["UFBrowsers:Pods:NodePools:idle:MinWarm"] = "1",
                ["UFBrowsers:Pods:NodePools:idle:MaxWarm"] = "6",
                ["UFBrowsers:Pods:NodePools:idle:MaxPods"] = "20",
                ["UFBrowsers:Pods:NodePools:idle:MaxParallelStarts"] = "8",
                ["UFBrowsers:Pods:NodePools:idle:ShrinkAfterIdleSeconds"] = "60",
                ["UFBrowsers:Pods:NodePools:late:MinWarm"] = "1",
                ["UFBrowsers:Pods:NodePools:late:MaxPods"] = "5",
                ["UFBrowsers:Pods:NodePools:tight:MinWarm"] = "5",
                ["UFBrowsers:Pods:NodePools:tight:MaxPods"] = "20",
                ["UFBrowsers:Pods:NodePools:handout:MinWarm"] = "2",
                ["UFBrowsers:Pods:NodePools:handout:MaxWarm"] = "2",
                ["UFBrowsers:Pods:NodePools:handout:MaxPods"] = "20",
                ["UFBrowsers:Pods:NodePools:handout:RefillDelayMilliseconds"] = "3000",
                // Real seconds: how long a session waits for a pod made on demand (a test holds a creation past it).
                ["UFBrowsers:Pods:AcquireTimeoutSeconds"] = "2",
            }).AddInMemoryCollection(TestPlans.Configuration).Build();

            // The product's memory storage, with the grain state and ledger writes passing through the fault plan.
            siloBuilder.AddMemoryGrainStorage(InnerStorage);
            siloBuilder.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Grains,
                (sp, _) => new FaultInjectingGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>(InnerStorage), FaultPlan, "silo"));
            siloBuilder.UseInMemoryReminderService();
            siloBuilder.Services.AddSingleton<ILedgerStore>(new FaultInjectingLedgerStore(new InMemoryLedgerStore(), FaultPlan, "silo"));
            siloBuilder.Services.AddSingleton<IAuditLog, InMemoryAuditLog>();
            siloBuilder.Services.AddSingleton<IProfileStore>(new FaultInjectingProfileStore(ProfileStore, FaultPlan, "silo"));
            siloBuilder.Services.AddSingleton<ISessionFileStore>(SessionFileStore);
            siloBuilder.Services.AddSingleton<IBrowserProfileTransfer>(BrowserProfiles);
            siloBuilder.Services.AddSingleton<IPodFiles>(PodFilesScript);
            siloBuilder.Services.AddUFBrowsersGrainServices(configuration);
            siloBuilder.Services.AddKeyedSingleton<TimeProvider>(UFBrowsersClock.Key, Clock);
            siloBuilder.Services.AddSingleton<IPodProvider>(Pods);
            siloBuilder.Services.AddSingleton<ITenantProvisioner>(Tenants);
            siloBuilder.Services.AddSingleton<ISessionBrowserHook>(Hook);
            siloBuilder.Services.AddSingleton<IPodCapacity>(Capacity);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
