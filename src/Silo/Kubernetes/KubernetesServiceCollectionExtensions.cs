using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains.Files;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Grains.Tenants;

namespace UFBrowsers.Silo.Kubernetes;

public static class KubernetesServiceCollectionExtensions
{
    /// <summary>Browser pods on Kubernetes, with the reconciler that finds orphaned and vanished pods.</summary>
    public static IServiceCollection AddKubernetesPods(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddKubernetesClient(configuration);
        services.AddOptions<KubernetesPodOptions>().Bind(configuration.GetSection(KubernetesPodOptions.Section));
        services.AddOptions<KubernetesReconcilerOptions>().Bind(configuration.GetSection(KubernetesReconcilerOptions.Section));
        services.AddSingleton<KubernetesPodProvider>();
        services.AddSingleton<IPodProvider>(sp => sp.GetRequiredService<KubernetesPodProvider>());
        services.AddSingleton<IPodFiles, KubernetesPodFiles>();
        services.AddSingleton<KubernetesPodReconciler>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<KubernetesPodReconciler>());
        return services;
    }

    /// <summary>Tenants as Kubernetes namespaces with quota, limits and network policy.</summary>
    public static IServiceCollection AddKubernetesTenantProvisioner(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddKubernetesClient(configuration);
        services.AddOptions<KubernetesTenantOptions>().Bind(configuration.GetSection(KubernetesTenantOptions.Section));
        services.AddSingleton<KubernetesTenantProvisioner>();
        services.AddSingleton<ITenantProvisioner>(sp => sp.GetRequiredService<KubernetesTenantProvisioner>());
        return services;
    }

    private static void AddKubernetesClient(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KubernetesOptions>().Bind(configuration.GetSection(KubernetesOptions.Section));
        services.TryAddSingleton<IKubernetes>(sp =>
        {
            var host = sp.GetRequiredService<IOptions<KubernetesOptions>>().Value.Host;
            var config = string.IsNullOrWhiteSpace(host)
                ? KubernetesClientConfiguration.BuildDefaultConfig()
                : new KubernetesClientConfiguration { Host = host };
            return new k8s.Kubernetes(config);
        });
    }
}
