using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Silo.Pods;
using UFBrowsers.Silo.Pods.LocalChromium;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Pods.Tests;

public sealed class ServiceRegistrationTests
{
    [Fact]
    public async Task AddLocalChromiumPods_binds_options_and_registers_one_provider_as_port_and_hosted_service()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["UFBrowsers:LocalChromium:ExecutablePath"] = "/opt/chromium/chrome",
            ["UFBrowsers:LocalChromium:PodsDirectory"] = "/tmp/ufbrowsers-registration-test",
            ["UFBrowsers:LocalChromium:StartTimeout"] = "00:00:07",
            ["UFBrowsers:LocalChromium:ExtraArguments:0"] = "--lang=en-US",
            ["UFBrowsers:LocalChromium:Build"] = "Chromium",
            ["UFBrowsers:LocalChromium:NodePools:fast:Build"] = "HeadlessShell",
            ["UFBrowsers:LocalChromium:NodePools:fast:ExtraArguments:0"] = "--lang=de-DE",
            ["UFBrowsers:LocalChromium:WarmUp:Enabled"] = "false",
            ["UFBrowsers:LocalChromium:WarmUp:SettleTimeout"] = "00:00:02",
        }).Build();
        var reporter = new RecordingLossReporter();
        var services = new ServiceCollection().AddLogging().AddSingleton<IPodLossReporter>(reporter);

        services.AddLocalChromiumPods(configuration);
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<LocalChromiumOptions>>().Value;
        Assert.Equal("/opt/chromium/chrome", options.ExecutablePath);
        Assert.Equal("/tmp/ufbrowsers-registration-test", options.PodsDirectory);
        Assert.Equal(TimeSpan.FromSeconds(7), options.StartTimeout);
        Assert.Equal(["--lang=en-US"], options.ExtraArguments);
        Assert.Equal(BrowserBuild.Chromium, options.Build);
        Assert.Equal(BrowserBuild.HeadlessShell, options.NodePools["fast"].Build);
        Assert.Equal(["--lang=de-DE"], options.NodePools["fast"].ExtraArguments);
        Assert.Null(options.NodePools["fast"].ExecutablePath);
        Assert.False(options.WarmUp.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(2), options.WarmUp.SettleTimeout);

        var port = provider.GetRequiredService<IPodProvider>();
        Assert.IsType<LocalChromiumPodProvider>(port);
        Assert.Same(port, Assert.Single(provider.GetServices<IHostedService>()));
        Assert.Same(reporter, provider.GetRequiredService<IPodLossReporter>());
    }

    [Fact]
    public void Without_a_reporter_the_grain_reporter_is_registered()
    {
        var services = new ServiceCollection().AddLocalChromiumPods(new ConfigurationBuilder().Build());

        var reporter = Assert.Single(services, d => d.ServiceType == typeof(IPodLossReporter));
        Assert.Equal(typeof(GrainPodLossReporter), reporter.ImplementationType);
    }

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var options = new LocalChromiumOptions();

        Assert.Equal(Path.Combine(Path.GetTempPath(), "ufbrowsers-pods"), options.PodsDirectory);
        Assert.Equal(TimeSpan.FromSeconds(20), options.StartTimeout);
        Assert.Empty(options.ExtraArguments);
        Assert.Equal(BrowserBuild.HeadlessShell, options.Build);
        Assert.Empty(options.NodePools);
        Assert.Equal(Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } fromEnvironment ? fromEnvironment : null, options.ExecutablePath);
        Assert.True(options.WarmUp.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(5), options.WarmUp.SettleTimeout);
    }
}
