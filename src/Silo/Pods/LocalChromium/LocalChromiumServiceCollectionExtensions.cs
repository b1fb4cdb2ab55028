using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using UFBrowsers.Grains.Files;
using UFBrowsers.Grains.Pods;

namespace UFBrowsers.Silo.Pods.LocalChromium;

public static class LocalChromiumServiceCollectionExtensions
{
    /// <summary>Runs browser pods as Chromium processes on this machine; the provider is also a hosted service so it can clean up.</summary>
    public static IServiceCollection AddLocalChromiumPods(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LocalChromiumOptions>().Bind(configuration.GetSection(LocalChromiumOptions.Section));
        services.TryAddSingleton<IPodLossReporter, GrainPodLossReporter>();
        services.AddSingleton<LocalChromiumPodProvider>();
        services.AddSingleton<IPodProvider>(sp => sp.GetRequiredService<LocalChromiumPodProvider>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<LocalChromiumPodProvider>());
        services.AddSingleton<IPodFiles, LocalChromiumPodFiles>();
        return services;
    }
}
