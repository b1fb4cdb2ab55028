using Microsoft.Extensions.Logging;
using UFBrowsers.Silo.Pods.LocalChromium;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Isolation.Tests;

/// <summary>One tenant cannot starve the others: a pod over its memory limit is killed alone and its loss reported.</summary>
[Collection(HostileTenantCollection.Name)]
public sealed class ResourceLimitTests(HostileTenantFixture target)
{
    private const int LimitMebibytes = 768;

    [Fact]
    public async Task A_page_that_allocates_memory_without_end_takes_down_only_its_own_browser()
    {
        var log = new ListLogger<LocalChromiumPodProvider>();
        var reporter = new RecordingLossReporter();
        await using var provider = await target.StartProvider(
            Path.Combine(target.SandboxedPods, "..", "limited"), sandbox: true, o => o.Limits.MemoryMebibytes = LimitMebibytes, log, reporter);
        var hog = await provider.CreateAsync("default", CancellationToken.None);
        var bystander = await provider.CreateAsync("default", CancellationToken.None);
        await using var bystanderPage = await PodPage.OpenAsync(bystander);
        Assert.Null(await bystanderPage.NavigateAsync(target.Network.PublicUrl + "/"));

        var hogPage = await PodPage.OpenAsync(hog);
        Assert.Equal("started", await hogPage.EvaluateAsync(
            """
            window.held = [];
            (async () => {
              for (;;) {
                const block = new Uint8Array(32 * 1024 * 1024);
                block.fill(7);
                window.held.push(block);
                await new Promise(resolve => setTimeout(resolve, 10));
              }
            })();
            'started'
            """));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (reporter.Reported.Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the pod over its memory limit was not killed and reported\n" + log);
            Assert.Equal("2", await bystanderPage.EvaluateAsync("1 + 1"));
            await Task.Delay(100);
        }

        Assert.Equal([hog], reporter.Reported);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains($"over its limit of {LimitMebibytes} MiB", StringComparison.Ordinal));
        await Wait.Until(() => !Directory.Exists(Path.GetDirectoryName(Path.GetDirectoryName(hog.DevToolsSocket))), "the killed pod's directory is removed");

        // The other pod never noticed: same browser, same page, still answering.
        Assert.Equal(HostileTenantFixture.Reached, await bystanderPage.TextAsync());
        Assert.Equal("2", await bystanderPage.EvaluateAsync("1 + 1"));
        Assert.True(await PodDevTools.AcceptsConnectionsAsync(bystander));
        Assert.Equal([hog], reporter.Reported);
        await hogPage.DisposeAsync();
    }
}
