using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Pods;
using UFBrowsers.Silo.Pods.LocalChromium;

// A process that owns local pods and then waits to be killed: what a silo is to its pods, for the test that SIGKILLs it.
//   UFBrowsers.PodOwner <pods directory> <number of pods>
// Prints each pod's lease as "pod <id> <devtools socket>", then "ready", then sleeps.
var options = new LocalChromiumOptions { PodsDirectory = args[0] };
var provider = new LocalChromiumPodProvider(Options.Create(options), new NoReporter(), NullLogger<LocalChromiumPodProvider>.Instance);
await provider.StartAsync(CancellationToken.None);
for (var i = 0; i < int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture); i++)
{
    var lease = await provider.CreateAsync("default", CancellationToken.None);
    Console.WriteLine($"pod {lease.PodId} {lease.DevToolsSocket}");
}

Console.WriteLine("ready");
await Task.Delay(Timeout.Infinite);

internal sealed class NoReporter : IPodLossReporter
{
    public Task ReportLostAsync(PodLease pod) => Task.CompletedTask;
}
