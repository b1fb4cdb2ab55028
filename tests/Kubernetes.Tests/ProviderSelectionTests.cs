using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Grains.Tenants;
using UFBrowsers.Silo.Hosting;
using UFBrowsers.Silo.Kubernetes;
using UFBrowsers.Silo.Pods.LocalChromium;
using UFBrowsers.Silo.Tenants;

namespace UFBrowsers.Kubernetes.Tests;

public sealed class ProviderSelectionTests
{
    [Fact]
    public void Configuration_selects_the_kubernetes_provider_and_provisioner()
    {
        using var host = Build(new Dictionary<string, string?>
        {
            ["UFBrowsers:Silo:PodProvider"] = "Kubernetes",
            ["UFBrowsers:Silo:TenantProvisioner"] = "Kubernetes",
            ["UFBrowsers:Kubernetes:Host"] = "http://127.0.0.1:1",
        });

        Assert.IsType<KubernetesPodProvider>(host.Services.GetRequiredService<IPodProvider>());
        Assert.IsType<KubernetesTenantProvisioner>(host.Services.GetRequiredService<ITenantProvisioner>());
        Assert.Contains(host.Services.GetServices<IHostedService>(), s => s is KubernetesPodReconciler);
    }

    [Fact]
    public void Local_chromium_and_the_local_provisioner_stay_the_default()
    {
        using var host = Build([]);

        Assert.IsType<LocalChromiumPodProvider>(host.Services.GetRequiredService<IPodProvider>());
        Assert.IsType<LocalTenantProvisioner>(host.Services.GetRequiredService<ITenantProvisioner>());
    }

    [Fact]
    public void An_unknown_provisioner_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new Dictionary<string, string?> { ["UFBrowsers:Silo:TenantProvisioner"] = "Cloud" }));
        Assert.Contains("Local or Kubernetes", error.Message, StringComparison.Ordinal);
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.UseOrleans(silo => silo.AddUFBrowsers(builder.Configuration));
        return builder.Build();
    }
}
