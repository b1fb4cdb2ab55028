using System.Globalization;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Silo.Pods.LocalChromium;

namespace UFBrowsers.Silo.Pods;

/// <summary>
/// The local provider's capacity: the memory the kernel says is available (<c>MemAvailable</c> in <c>/proc/meminfo</c>)
/// divided by a pod's memory limit, so warm pods never claim memory a session's browser may need. Read at most once a
/// second; the same figure for every pool, as they share the machine.
/// </summary>
public sealed class MachineMemoryCapacity(IOptions<LocalChromiumOptions> options, TimeProvider clock) : IPodCapacity
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);
    private readonly Lock _lock = new();
    private int? _room;
    private long _readAt;

    public int? Room(string nodePool)
    {
        lock (_lock)
        {
            if (_room is null || clock.GetElapsedTime(_readAt) > MaxAge)
            {
                _room = AvailableBytes() is { } available ? (int)Math.Min(int.MaxValue, available / Math.Max(1, options.Value.Limits.MemoryBytes)) : null;
                _readAt = clock.GetTimestamp();
            }

            return _room;
        }
    }

    /// <summary>
    /// Two launches per processor. A launch is mostly CPU (Chromium's start, the sandbox's processes) but not only: it also
    /// waits on its processes' handshakes and on the warm-up's quiet intervals, so one per processor leaves the CPU idle
    /// part of the time. On 2 cores, 3 sessions a second (bench/PoolDemand): 2 at once missed the pool 93 times after the
    /// first 10 s, 4 at once 12 and 0 times, 6 at once 120 times (each launch then took 2-3 s).
    /// </summary>
    public int? ParallelStarts(string nodePool) => Environment.ProcessorCount * 2;

    /// <summary>MemAvailable in bytes; null where there is no /proc/meminfo (the pool is then bounded by MaxPods alone).</summary>
    public static long? AvailableBytes(string path = "/proc/meminfo")
    {
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kibibytes) ? kibibytes * 1024 : null;
            }
        }

        return null;
    }
}
