using System.Text.Json;
using UFBrowsers.Silo.Pods.LocalChromium;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Pods.Tests;

/// <summary>A node pool names its browser build; the default pool runs the headless shell.</summary>
public sealed class BrowserBuildTests : IAsyncLifetime
{
    private const string HeadlessShell = "/usr/lib/chromium/chromium-headless-shell";
    private const string FullChromium = "/usr/lib/chromium/chromium";

    private readonly PodSandbox _sandbox = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task Each_node_pool_runs_the_build_it_names_and_a_pool_without_an_entry_the_headless_shell()
    {
        var provider = await _sandbox.StartedProvider(o => o.NodePools["desktop"] = new LocalNodePoolOptions { Build = BrowserBuild.Chromium });

        var shell = await provider.CreateAsync("default", CancellationToken.None);
        var desktop = await provider.CreateAsync("desktop", CancellationToken.None);

        Assert.Equal(HeadlessShell, Executable(_sandbox.ChromiumPid(shell)));
        Assert.Equal(FullChromium, Executable(_sandbox.ChromiumPid(desktop)));
        Assert.Contains("--site-per-process", Procs.CommandLine(_sandbox.ChromiumPid(shell)));
        Assert.DoesNotContain("--site-per-process", Procs.CommandLine(_sandbox.ChromiumPid(desktop)));
        foreach (var pod in new[] { shell, desktop })
        {
            await using var browser = await PodDevTools.BrowserAsync(pod);
            Assert.Contains("Chrome/", (await browser.SendAsync("Browser.getVersion")).GetProperty("product").GetString());
        }
    }

    [Fact]
    public async Task A_pool_may_name_its_own_binary_and_switches_which_follow_the_providers()
    {
        var provider = await _sandbox.StartedProvider(o =>
        {
            o.Build = BrowserBuild.Chromium;
            o.ExtraArguments = ["--lang=en-US"];
            o.NodePools["custom"] = new LocalNodePoolOptions { ExecutablePath = HeadlessShell, ExtraArguments = ["--lang=de-DE"] };
        });

        var plain = await provider.CreateAsync("default", CancellationToken.None);
        var custom = await provider.CreateAsync("custom", CancellationToken.None);

        Assert.Equal(FullChromium, Executable(_sandbox.ChromiumPid(plain)));
        Assert.Equal(HeadlessShell, Executable(_sandbox.ChromiumPid(custom)));
        var plainArguments = Procs.CommandLine(_sandbox.ChromiumPid(plain));
        var customArguments = Procs.CommandLine(_sandbox.ChromiumPid(custom)).ToList();
        Assert.Contains("--lang=en-US", plainArguments);
        Assert.DoesNotContain("--lang=de-DE", plainArguments);
        Assert.True(customArguments.IndexOf("--lang=en-US") is >= 0 and var first && customArguments.IndexOf("--lang=de-DE") > first,
            string.Join(' ', customArguments));
    }

    [Fact]
    public async Task A_pool_whose_binary_is_missing_fails_clearly_and_leaves_the_other_pools_working()
    {
        var missing = Path.Combine(_sandbox.PodsDirectory, "no-such-browser");
        var provider = await _sandbox.StartedProvider(o => o.NodePools["broken"] = new LocalNodePoolOptions { ExecutablePath = missing });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => provider.CreateAsync("broken", CancellationToken.None));

        Assert.Contains(missing, error.Message);
        Assert.Contains("NodePools:broken:ExecutablePath", error.Message);
        Assert.Empty(Directory.GetDirectories(_sandbox.PodsDirectory));
        var working = await provider.CreateAsync("default", CancellationToken.None);
        Assert.True(await PodDevTools.AcceptsConnectionsAsync(working));
    }

    [Fact]
    public async Task A_headless_shell_pod_keeps_a_started_spare_renderer_for_the_next_page()
    {
        var provider = await _sandbox.StartedProvider();
        var pod = await provider.CreateAsync("default", CancellationToken.None);
        await using var browser = await PodDevTools.BrowserAsync(pod);

        // One renderer for the page the browser opened, one spare started ahead of the next page.
        await PodSandbox.EventuallyAsync(async () => await Renderers(browser) == 2, "the pod has its page's renderer and a spare");
    }

    private static async Task<int> Renderers(CdpConnection browser) =>
        (await browser.SendAsync("SystemInfo.getProcessInfo")).GetProperty("processInfo").EnumerateArray()
            .Count(p => p.GetProperty("type").GetString() == "renderer");

    /// <summary>The binary a process runs, as its own mount namespace names it.</summary>
    private static string? Executable(int pid) => new FileInfo($"/proc/{pid}/exe").LinkTarget;
}
