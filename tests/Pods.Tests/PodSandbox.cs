using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UFBrowsers.Silo.Pods.LocalChromium;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Pods.Tests;

/// <summary>A temporary PodsDirectory and the providers started over it; everything is killed and deleted at the end.</summary>
public sealed class PodSandbox : IAsyncDisposable
{
    private readonly List<LocalChromiumPodProvider> _providers = [];

    public string PodsDirectory { get; } = Path.Combine(Path.GetTempPath(), "ufb-pods-tests", Guid.NewGuid().ToString("N")[..12]);

    public RecordingLossReporter Reporter { get; } = new();

    public LocalChromiumPodProvider NewProvider(Action<LocalChromiumOptions>? configure = null, ILogger<LocalChromiumPodProvider>? logger = null)
    {
        var options = new LocalChromiumOptions { PodsDirectory = PodsDirectory };
        configure?.Invoke(options);
        var provider = new LocalChromiumPodProvider(Options.Create(options), Reporter, logger ?? NullLogger<LocalChromiumPodProvider>.Instance);
        _providers.Add(provider);
        return provider;
    }

    public async Task<LocalChromiumPodProvider> StartedProvider(Action<LocalChromiumOptions>? configure = null, ILogger<LocalChromiumPodProvider>? logger = null)
    {
        var provider = NewProvider(configure, logger);
        await provider.StartAsync(CancellationToken.None);
        return provider;
    }

    public string PodDirectory(PodLease lease) => Path.Combine(PodsDirectory, lease.PodId);

    public string ProfileDirectory(PodLease lease) => Path.Combine(PodDirectory(lease), "profile");

    /// <summary>The browser's process as the marker names it (the sandbox's launcher, which became bubblewrap).</summary>
    public int Pid(PodLease lease) => Marker(lease).RootElement.GetProperty("pid").GetInt32();

    /// <summary>The processes the provider started for the pod (browser, network, bridge), by pid and start time.</summary>
    public List<(int Pid, long StartTicks)> Roots(PodLease lease) =>
        Marker(lease).RootElement.GetProperty("processes").EnumerateArray()
            .Select(p => (p.GetProperty("pid").GetInt32(), p.GetProperty("startTicks").GetInt64()))
            .ToList();

    /// <summary>Every live process of the pod: what the provider started and everything that descends from it.</summary>
    public List<Procs.Info> Processes(PodLease lease) => Procs.Trees(Roots(lease));

    /// <summary>The Chromium browser process (the one with <c>--remote-debugging-port</c> and no <c>--type=</c>).</summary>
    public int ChromiumPid(PodLease lease) =>
        Processes(lease).Select(p => p.Pid).Single(pid =>
        {
            var arguments = Procs.CommandLine(pid);
            return arguments.Any(a => a.StartsWith("--remote-debugging-port", StringComparison.Ordinal))
                   && !arguments.Any(a => a.StartsWith("--type=", StringComparison.Ordinal))
                   && !arguments.Contains("bwrap") && !arguments.Any(a => a.EndsWith("/bwrap", StringComparison.Ordinal));
        });

    public bool HasRunningProcess(PodLease lease) => Processes(lease).Count > 0;

    public static void KillFromOutside(int pid)
    {
        using var kill = Process.Start("kill", ["-9", pid.ToString()]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public static async Task Eventually(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}");
            await Task.Delay(50);
        }
    }

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}");
            await Task.Delay(50);
        }
    }

    private JsonDocument Marker(PodLease lease) => JsonDocument.Parse(File.ReadAllText(Path.Combine(PodDirectory(lease), "pod.json")));

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        // A provider a test "lost" leaves its processes to the next one; make sure none outlive the test.
        if (Directory.Exists(PodsDirectory))
        {
            foreach (var pid in Procs.Naming(PodsDirectory))
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill(entireProcessTree: true);
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
                {
                }
            }

            Directory.Delete(PodsDirectory, recursive: true);
        }
    }
}
