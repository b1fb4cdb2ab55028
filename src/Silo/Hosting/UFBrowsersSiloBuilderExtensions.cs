using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Dashboard;
using UFBrowsers.Grains;
using UFBrowsers.Grains.Audit;
using UFBrowsers.Grains.Billing;
using UFBrowsers.Grains.Gateways;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Grains.Queue;
using UFBrowsers.Grains.Recordings;
using UFBrowsers.Silo.Recordings;
using UFBrowsers.Grains.Sessions;
using System.Net;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using UFBrowsers.Silo.Payments;
using UFBrowsers.Silo.Persistence;
using UFBrowsers.Silo.Persistence.Memory;
using UFBrowsers.Grains.Telemetry;
using UFBrowsers.Grains.Tenants;
using UFBrowsers.Silo.Kubernetes;
using UFBrowsers.Silo.Pods;
using UFBrowsers.Silo.Pods.LocalChromium;
using UFBrowsers.Silo.Tenants;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains.Files;
using UFBrowsers.Grains.Profiles;
using UFBrowsers.Silo.Browsers;
using UFBrowsers.Silo.Files;
using UFBrowsers.Silo.Profiles;

namespace UFBrowsers.Silo.Hosting;

public static class UFBrowsersSiloBuilderExtensions
{
    /// <summary>Configures a UFBrowsers silo from configuration: clustering, storage, the pod provider and the grains' services.</summary>
    public static ISiloBuilder AddUFBrowsers(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();
        silo.Services.Configure<SiloOptions>(configuration.GetSection(SiloOptions.Section));

        switch (options.Storage.ToLowerInvariant())
        {
            case "memory":
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
                silo.AddUFBrowsersMemoryStorage();
                break;
            case "postgres":
                silo.Configure<ClusterOptions>(cluster =>
                {
                    cluster.ClusterId = options.ClusterId;
                    cluster.ServiceId = options.ServiceId;
                });
                silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: options.AdvertisedAddress != "127.0.0.1");
                silo.UsePostgres();
                break;
            default:
                throw new InvalidOperationException($"Unknown storage '{options.Storage}' in {SiloOptions.Section}:Storage (expected Memory or Postgres).");
        }

        switch (options.PodProvider.ToLowerInvariant())
        {
            case "localchromium":
                silo.Services.AddLocalChromiumPods(configuration);
                // Warm pods are bounded by the memory left on this machine as well as by each pool's MaxPods.
                silo.Services.TryAddSingleton<IPodCapacity>(sp => new MachineMemoryCapacity(
                    sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<LocalChromiumOptions>>(), TimeProvider.System));
                break;
            case "kubernetes":
                silo.Services.AddKubernetesPods(configuration);
                break;
            default:
                throw new InvalidOperationException($"Unknown pod provider '{options.PodProvider}' in {SiloOptions.Section}:PodProvider (expected LocalChromium or Kubernetes).");
        }

        switch (options.TenantProvisioner.ToLowerInvariant())
        {
            case "local":
                silo.Services.TryAddSingleton<ITenantProvisioner, LocalTenantProvisioner>();
                break;
            case "kubernetes":
                silo.Services.AddKubernetesTenantProvisioner(configuration);
                break;
            default:
                throw new InvalidOperationException($"Unknown tenant provisioner '{options.TenantProvisioner}' in {SiloOptions.Section}:TenantProvisioner (expected Local or Kubernetes).");
        }

        silo.Services.AddUFBrowsersGrainServices(configuration);
        if ((configuration.GetSection(TracingOptions.Section).Get<TracingOptions>() ?? new TracingOptions()).IsOn)
        {
            // Grain calls carry the caller's trace, so a create's spans in the grains join its HTTP request's trace.
            silo.AddActivityPropagation();
        }

        silo.Services.AddSessionRecordings(configuration);
        silo.AddStartupTask<PoolWarmupTask>();
        // Every silo feeds the Orleans dashboard; the API host maps its pages (behind operator auth).
        silo.AddDashboard();
        return silo;
    }

    /// <summary>
    /// Profiles and session files: the browser hooks that restore and save profiles and keep downloads (profiles first, so a
    /// slow copy of downloads never eats the profile's share of the end's time), their options, the defaults a provider
    /// without a file transport falls back to, and the cleanup of expired downloads. Stores come with the storage choice.
    /// </summary>
    public static IServiceCollection AddUFBrowsersSessionFiles(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddUFBrowsersProfileCipher(configuration);
        services.Configure<SessionFilesOptions>(configuration.GetSection(SessionFilesOptions.Section));
        services.TryAddSingleton<IPodFiles, NoPodFiles>();
        services.TryAddSingleton<IBrowserProfileTransfer, CdpProfileTransfer>();
        services.TryAddSingleton<SessionFiles>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISessionBrowserHook, ProfileSessionHook>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISessionBrowserHook, DownloadsSessionHook>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SessionFileRetention>());
        return services;
    }

    /// <summary>Grain state, reminders, ledger and audit log in process memory: for tests and throwaway runs only.</summary>
    public static ISiloBuilder AddUFBrowsersMemoryStorage(this ISiloBuilder silo)
    {
        silo.AddMemoryGrainStorage(StorageNames.Grains);
        silo.UseInMemoryReminderService();
        silo.Services.AddSingleton<ILedgerStore, InMemoryLedgerStore>();
        silo.Services.AddSingleton<IAuditLog, InMemoryAuditLog>();
        silo.Services.AddSingleton<IRecordingStore, InMemoryRecordingStore>();
        silo.Services.AddSingleton<IProfileStore, InMemoryProfileStore>();
        silo.Services.AddSingleton<ISessionFileStore, InMemorySessionFileStore>();
        return silo;
    }

    /// <summary>What the grains need from the container, whatever hosts them (a silo or a test cluster).</summary>
    public static IServiceCollection AddUFBrowsersGrainServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<BillingOptions>(configuration.GetSection(BillingOptions.Section));
        services.Configure<PodPoolOptions>(configuration.GetSection(PodPoolOptions.Section));
        services.Configure<TenantOptions>(configuration.GetSection(TenantOptions.Section));
        services.TryAddSingleton<ITenantProvisioner, LocalTenantProvisioner>();
        services.Configure<SessionTimerOptions>(configuration.GetSection(SessionTimerOptions.Section));
        services.Configure<SessionBrowserHookOptions>(configuration.GetSection(SessionBrowserHookOptions.Section));
        services.Configure<GatewayLeaseOptions>(configuration.GetSection(GatewayLeaseOptions.Section));
        // A customer's sessions reminder may be set shorter than Orleans' one-minute floor (tests do, for their wall time).
        var reminderPeriod = (configuration.GetSection(SessionTimerOptions.Section).Get<SessionTimerOptions>() ?? new SessionTimerOptions()).ReminderPeriod;
        services.PostConfigure<ReminderOptions>(reminders =>
        {
            if (reminderPeriod < reminders.MinimumReminderPeriod)
            {
                reminders.MinimumReminderPeriod = reminderPeriod;
            }
        });
        services.Configure<SessionQueueOptions>(configuration.GetSection(SessionQueueOptions.Section));
        services.TryAddSingleton<PlanCatalog>();
        services.AddUFBrowsersSessionFiles(configuration);
        services.TryAddKeyedSingleton(UFBrowsersClock.Key, TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<UFBrowsersMetrics>();
        services.AddStripe(configuration);
        // Grain state is stored with the Orleans binary serializer (the [GenerateSerializer]/[Id] contracts on the state
        // classes) rather than the provider default, Newtonsoft JSON: smaller rows and several times less CPU per write.
        services.TryAddKeyedSingleton<IGrainStorageSerializer>(
            StorageNames.Grains, (provider, _) => new OrleansGrainStorageSerializer(provider.GetRequiredService<Serializer>()));
        return services;
    }
}
