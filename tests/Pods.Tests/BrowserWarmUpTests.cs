using System.Text.Json;
using Microsoft.Extensions.Logging;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Silo.Pods.LocalChromium;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Pods.Tests;

/// <summary>A warm pod's browser is readied before it is handed out, and the readying leaves nothing a customer could see.</summary>
public sealed class BrowserWarmUpTests : IAsyncLifetime
{
    private readonly PodSandbox _sandbox = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Theory]
    [InlineData(BrowserBuild.HeadlessShell)]
    [InlineData(BrowserBuild.Chromium)]
    public async Task A_warm_pod_is_handed_out_with_its_first_page_rendered_and_nothing_a_customer_could_see(BrowserBuild build)
    {
        var log = new ListLogger<LocalChromiumPodProvider>();
        var provider = await _sandbox.StartedProvider(o => o.Build = build, log);

        var pod = await provider.CreateAsync("default", CancellationToken.None);

        await using var browser = await PodDevTools.BrowserAsync(pod);
        var processes = (await browser.SendAsync("SystemInfo.getProcessInfo")).GetProperty("processInfo").EnumerateArray().ToList();
        Assert.Contains(processes, p => p.GetProperty("type").GetString() == "renderer");
        Assert.Contains(log.Entries, e => e.Message.StartsWith($"Warm-up of pod {pod.PodId}", StringComparison.Ordinal));

        // As a fresh browser: one page, on about:blank, with one history entry, not attached to, no cookies.
        var page = Assert.Single(Pages(await browser.SendAsync("Target.getTargets")));
        Assert.Equal("about:blank", page.GetProperty("url").GetString());
        Assert.False(page.GetProperty("attached").GetBoolean());
        Assert.Empty((await browser.SendAsync("Storage.getCookies")).GetProperty("cookies").EnumerateArray());
        var session = (await browser.SendAsync("Target.attachToTarget", new { targetId = page.GetProperty("targetId").GetString(), flatten = true }))
            .GetProperty("sessionId").GetString();
        var history = await browser.SendAsync("Page.getNavigationHistory", null, session);
        Assert.Equal("about:blank", Assert.Single(history.GetProperty("entries").EnumerateArray()).GetProperty("url").GetString());
    }

    [Fact]
    public async Task A_pod_made_on_demand_for_a_waiting_session_is_handed_out_without_a_warm_up()
    {
        var log = new ListLogger<LocalChromiumPodProvider>();
        var provider = await _sandbox.StartedProvider(logger: log);

        var pod = await provider.CreateAsync("default", CancellationToken.None, new PodAssignment("ses_waiting", "acme", null));

        Assert.True(await PodDevTools.AcceptsConnectionsAsync(pod));
        Assert.DoesNotContain(log.Entries, e => e.Message.Contains("Warm-up", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_warm_up_turned_off_hands_the_pod_out_as_soon_as_devtools_answers()
    {
        var log = new ListLogger<LocalChromiumPodProvider>();
        var provider = await _sandbox.StartedProvider(o => o.WarmUp.Enabled = false, log);

        var pod = await provider.CreateAsync("default", CancellationToken.None);

        Assert.True(await PodDevTools.AcceptsConnectionsAsync(pod));
        Assert.DoesNotContain(log.Entries, e => e.Message.Contains("Warm-up", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_browser_that_does_not_settle_in_time_is_handed_out_anyway_and_logged()
    {
        var log = new ListLogger<LocalChromiumPodProvider>();
        var provider = await _sandbox.StartedProvider(o =>
        {
            o.WarmUp.SettleTimeout = TimeSpan.Zero;
            o.WarmUp.QuietIntervals = 1000;
        }, log);

        var pod = await provider.CreateAsync("default", CancellationToken.None);

        Assert.True(await PodDevTools.AcceptsConnectionsAsync(pod));
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("still busy", StringComparison.Ordinal));
    }

    private static IEnumerable<JsonElement> Pages(JsonElement targets) =>
        targets.GetProperty("targetInfos").EnumerateArray().Where(t => t.GetProperty("type").GetString() == "page");
}
