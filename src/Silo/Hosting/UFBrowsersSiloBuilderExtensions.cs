using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using UFBrowsers.Grains;
using UFBrowsers.Grains.Billing;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Grains.Tenants;
using UFBrowsers.Silo.Kubernetes;
using UFBrowsers.Silo.Pods.LocalChromium;
using UFBrowsers.Silo.Tenants;

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
                silo.AddMemoryGrainStorage(StorageNames.Grains);
                silo.UseInMemoryReminderService();
                break;
            default:
                throw new InvalidOperationException($"Unknown storage '{options.Storage}' in {SiloOptions.Section}:Storage (expected Memory or Postgres).");
        }

        switch (options.PodProvider.ToLowerInvariant())
        {
            case "localchromium":
                silo.Services.AddLocalChromiumPods(configuration);
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
        silo.AddStartupTask<PoolWarmupTask>();
        return silo;
    }

    /// <summary>What the grains need from the container, whatever hosts them (a silo or a test cluster).</summary>
    public static IServiceCollection AddUFBrowsersGrainServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<BillingOptions>(configuration.GetSection(BillingOptions.Section));
        services.Configure<PodPoolOptions>(configuration.GetSection(PodPoolOptions.Section));
        services.Configure<TenantOptions>(configuration.GetSection(TenantOptions.Section));
        services.TryAddSingleton<ITenantProvisioner, LocalTenantProvisioner>();
        services.TryAddSingleton<PlanCatalog>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
