using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Pods;
using UFBrowsers.Silo.Pods.LocalChromium;

namespace UFBrowsers.PodOwner;

/// <summary>
/// A process that owns local pods and then waits to be killed: what a silo is to its pods, for the test that SIGKILLs it.
/// <c>UFBrowsers.PodOwner &lt;pods directory&gt; &lt;number of pods&gt;</c> prints "pod &lt;id&gt; &lt;devtools socket&gt;" per pod,
/// then "ready", then sleeps.
/// </summary>
internal static class PodOwnerProgram
{
    public static async Task Main(string[] args)
    {
        var options = new LocalChromiumOptions { PodsDirectory = args[0] };
        var provider = new LocalChromiumPodProvider(Options.Create(options), new NoReporter(), NullLogger<LocalChromiumPodProvider>.Instance);
        await provider.StartAsync(CancellationToken.None);
        for (var i = 0; i < int.Parse(args[1], CultureInfo.InvariantCulture); i++)
        {
            var lease = await provider.CreateAsync("default", CancellationToken.None);
            Console.WriteLine($"pod {lease.PodId} {lease.DevToolsSocket}");
        }

        Console.WriteLine("ready");
        await Task.Delay(Timeout.Infinite);
    }

    private sealed class NoReporter : IPodLossReporter
    {
        public Task ReportLostAsync(PodLease pod) => Task.CompletedTask;
    }
}
