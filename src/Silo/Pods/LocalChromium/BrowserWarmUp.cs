using System.Text.Json;
using Microsoft.Extensions.Logging;
using UFBrowsers.Pods;
using UFBrowsers.Silo.Browsers;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// Readies a warm pod's browser before the pool may hand it out. Chromium answers DevTools long before it has finished
/// starting: its first page's renderer and the spare renderer start afterwards, and the full build keeps a core busy for
/// about a second more. A customer who connected then would wait for all of that. So the
/// warm-up touches the first page (its renderer must answer an evaluate) and then waits until the browser's processes are
/// quiet, as Chromium itself counts their CPU time (<c>SystemInfo.getProcessInfo</c>).
/// </summary>
/// <remarks>
/// It leaves nothing a customer could see: no target is created, the first page is only attached to, evaluated in and
/// detached from (no navigation, no history, no storage), and the control plane's connection is closed.
/// </remarks>
internal sealed class BrowserWarmUp(BrowserWarmUpOptions options, ILogger logger)
{
    public async Task RunAsync(string podId, PodLease lease, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        await using var browser = await CdpClient.ConnectAsync(lease, cancellationToken);
        await TouchFirstPageAsync(browser, cancellationToken);
        var touched = TimeProvider.System.GetElapsedTime(started);
        var settled = await WaitUntilSettledAsync(browser, cancellationToken);
        var total = TimeProvider.System.GetElapsedTime(started);
        if (settled)
        {
            logger.LogDebug("Warm-up of pod {PodId}: first page answered after {Touched} ms, quiet after {Total} ms",
                podId, (int)touched.TotalMilliseconds, (int)total.TotalMilliseconds);
        }
        else
        {
            logger.LogInformation("Warm-up of pod {PodId}: its browser was still busy after {Total} ms; handed out anyway",
                podId, (int)total.TotalMilliseconds);
        }
    }

    /// <summary>The page the browser opened at start answers an evaluate: its renderer runs and its document exists.</summary>
    private static async Task TouchFirstPageAsync(CdpClient browser, CancellationToken cancellationToken)
    {
        var targets = await browser.SendAsync("Target.getTargets", cancellationToken: cancellationToken);
        var page = targets.GetProperty("targetInfos").EnumerateArray().FirstOrDefault(t => t.GetProperty("type").GetString() == "page");
        if (page.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var attached = await browser.SendAsync("Target.attachToTarget", new { targetId = page.GetProperty("targetId").GetString(), flatten = true }, cancellationToken: cancellationToken);
        var session = attached.GetProperty("sessionId").GetString();
        await browser.SendAsync("Runtime.evaluate", new { expression = "1" }, session, cancellationToken);
        await browser.SendAsync("Target.detachFromTarget", new { sessionId = session }, cancellationToken: cancellationToken);
    }

    /// <summary>Waits for <see cref="BrowserWarmUpOptions.QuietIntervals"/> quiet intervals in a row; false if the timeout came first.</summary>
    private async Task<bool> WaitUntilSettledAsync(CdpClient browser, CancellationToken cancellationToken)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(options.SettleTimeout.TotalSeconds * TimeProvider.System.TimestampFrequency);
        var (cpu, processes) = await UsageAsync(browser, cancellationToken);
        var quiet = 0;
        while (quiet < options.QuietIntervals)
        {
            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                return false;
            }

            await Task.Delay(options.SettleInterval, cancellationToken);
            var (nextCpu, nextProcesses) = await UsageAsync(browser, cancellationToken);
            quiet = nextCpu - cpu <= options.QuietCpu && nextProcesses == processes ? quiet + 1 : 0;
            (cpu, processes) = (nextCpu, nextProcesses);
        }

        return true;
    }

    /// <summary>The CPU time all of the browser's processes have used so far, and how many there are.</summary>
    private static async Task<(TimeSpan Cpu, int Processes)> UsageAsync(CdpClient browser, CancellationToken cancellationToken)
    {
        var info = await browser.SendAsync("SystemInfo.getProcessInfo", cancellationToken: cancellationToken);
        var seconds = 0.0;
        var count = 0;
        foreach (var process in info.GetProperty("processInfo").EnumerateArray())
        {
            seconds += process.GetProperty("cpuTime").GetDouble();
            count++;
        }

        return (TimeSpan.FromSeconds(seconds), count);
    }
}
