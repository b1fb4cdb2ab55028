using System.Diagnostics;
using System.Text.Json;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Isolation.Tests;

/// <summary>
/// Nothing of a pod survives the process that owns it, even a SIGKILL: its sandboxes die with it (bubblewrap's
/// --die-with-parent, the parent-death signal of the network and the bridge), and the next provider sweeps the files.
/// </summary>
[Collection(HostileTenantCollection.Name)]
public sealed class SiloKillTests(HostileTenantFixture target)
{
    [Fact]
    public async Task Every_process_of_every_pod_dies_with_a_SIGKILLed_owner_and_the_next_provider_removes_their_directories()
    {
        var pods = Path.GetFullPath(Path.Combine(target.SandboxedPods, "..", "owned"));
        using var owner = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "UFBrowsers.PodOwner.dll"), pods, "2"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var leases = new List<string>();
        using (var ready = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
        {
            while (await owner.StandardOutput.ReadLineAsync(ready.Token) is { } line && line != "ready")
            {
                leases.Add(line.Split(' ')[1]);
            }
        }

        Assert.Equal(2, leases.Count);
        var processes = leases.SelectMany(id => Procs.Trees(Roots(Path.Combine(pods, id)))).ToList();
        Assert.True(processes.Count >= 10, $"two sandboxed pods run many processes, found {processes.Count}");
        Assert.All(leases, id => Assert.True(File.Exists(Path.Combine(pods, id, "devtools", "cdp.sock"))));

        owner.Kill();
        await owner.WaitForExitAsync();

        // Before any sweep: the kernel ends them all because their owner is gone.
        await Wait.Until(() => Procs.StillAlive(processes).Count == 0, "every process of the SIGKILLed owner's pods is gone", TimeSpan.FromSeconds(30));
        Assert.Empty(Procs.Naming(pods));
        Assert.All(leases, id => Assert.True(Directory.Exists(Path.Combine(pods, id)), "the files stay until a provider sweeps them"));

        await using var next = await target.StartProvider(pods, sandbox: true);
        Assert.Empty(Directory.GetDirectories(pods));
        Assert.Empty(Procs.Naming(pods));
    }

    private static IEnumerable<(int Pid, long StartTicks)> Roots(string podDirectory) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(podDirectory, "pod.json"))).RootElement.GetProperty("processes").EnumerateArray()
            .Select(p => (p.GetProperty("pid").GetInt32(), p.GetProperty("startTicks").GetInt64()))
            .ToList();
}
