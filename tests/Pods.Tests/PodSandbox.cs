using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UFBrowsers.Silo.Pods.LocalChromium;

namespace UFBrowsers.Pods.Tests;

/// <summary>A temporary PodsDirectory and the providers started over it; everything is killed and deleted at the end.</summary>
public sealed class PodSandbox : IAsyncDisposable
{
    private readonly List<LocalChromiumPodProvider> _providers = [];

    public string PodsDirectory { get; } = Path.Combine(Path.GetTempPath(), "ufbrowsers-pods-tests", Guid.NewGuid().ToString("N"));

    public RecordingLossReporter Reporter { get; } = new();

    public LocalChromiumPodProvider NewProvider(Action<LocalChromiumOptions>? configure = null)
    {
        var options = new LocalChromiumOptions { PodsDirectory = PodsDirectory };
        configure?.Invoke(options);
        var provider = new LocalChromiumPodProvider(Options.Create(options), Reporter, NullLogger<LocalChromiumPodProvider>.Instance);
        _providers.Add(provider);
        return provider;
    }

    public async Task<LocalChromiumPodProvider> StartedProvider(Action<LocalChromiumOptions>? configure = null)
    {
        var provider = NewProvider(configure);
        await provider.StartAsync(CancellationToken.None);
        return provider;
    }

    public string PodDirectory(PodLease lease) => Path.Combine(PodsDirectory, lease.PodId);

    public string ProfileDirectory(PodLease lease) => Path.Combine(PodDirectory(lease), "profile");

    public int Pid(PodLease lease)
    {
        using var marker = JsonDocument.Parse(File.ReadAllText(Path.Combine(PodDirectory(lease), "pod.json")));
        return marker.RootElement.GetProperty("pid").GetInt32();
    }

    /// <summary>True while some live (non-zombie) process has this pod's profile on its command line.</summary>
    public bool HasRunningProcess(PodLease lease) => ProcessesUsing(ProfileDirectory(lease)).Count > 0;

    public static bool IsChromiumOfProfile(int pid, string profileDirectory)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("--user-data-dir=" + profileDirectory, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static List<int> ProcessesUsing(string profileDirectory) =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name!.All(char.IsAsciiDigit))
            .Select(name => int.Parse(name!))
            .Where(pid => pid != Environment.ProcessId && IsChromiumOfProfile(pid, profileDirectory))
            .ToList();

    public static void KillFromOutside(int pid)
    {
        using var kill = Process.Start("kill", ["-9", pid.ToString()]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public static async Task Eventually(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        // A provider a test "lost" leaves its processes to the next one; make sure none outlive the test.
        if (Directory.Exists(PodsDirectory))
        {
            foreach (var pid in ProcessesUsing(PodsDirectory))
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
