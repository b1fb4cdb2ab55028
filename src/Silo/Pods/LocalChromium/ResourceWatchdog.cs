using Microsoft.Extensions.Logging;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// Without a cgroup, the limits of a pod are kept by watching its processes. Memory:  every <see cref="PodResourceLimits.WatchdogInterval"/>
/// the resident memory of all of a pod's processes is summed from <c>/proc</c> (one read per process of the machine); only
/// when that sum is over the limit is the finer proportional figure (PSS, shared pages divided among their users) plus
/// what the pod keeps in its in-memory <c>/tmp</c> and <c>/dev/shm</c> measured, and a pod still over is handed to
/// <paramref name="overLimit"/>, which kills it alone.
/// </summary>
/// <remarks>
/// Between two measurements a page can allocate beyond the limit (at a few GB/s, a 250 ms interval lets it overshoot by up
/// to about a gigabyte); V8's heap limit stops plain JavaScript objects earlier, and every pod process has the highest
/// <c>oom_score_adj</c>, so if the machine ever runs out first, the kernel kills a pod rather than the API or PostgreSQL.
/// That score is also kept here: where the service lacks CAP_SYS_RESOURCE (root in many containers), the kernel lets
/// Chromium lower its own processes' scores again (it sets renderers to 300), so every round raises them back to 1000.
/// </remarks>
internal sealed class ResourceWatchdog(
    PodResourceLimits limits,
    Func<IEnumerable<LocalChromiumPod>> pods,
    Action<LocalChromiumPod, long> overLimit,
    ILogger logger)
{
    public async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(limits.WatchdogInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    Check();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
                {
                    logger.LogWarning(ex, "The pod memory watchdog could not measure this round");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Check()
    {
        var live = pods().Where(pod => !pod.IsEnding && pod.Processes.Count > 0).ToList();
        if (live.Count == 0)
        {
            return;
        }

        var table = ProcessTable.Read();
        foreach (var pod in live)
        {
            var tree = table.Trees(pod.Roots);
            foreach (var process in tree)
            {
                ProcFs.PreferForOomKill(process.Pid, onlyIfLower: true);
            }

            if (tree.Sum(process => process.ResidentBytes) <= limits.MemoryBytes)
            {
                continue;
            }

            var used = Measure(pod, tree);
            if (used > limits.MemoryBytes)
            {
                overLimit(pod, used);
            }
        }
    }

    /// <summary>The pod's memory as the limit counts it: PSS of all its processes plus its in-memory file systems.</summary>
    public static long Measure(LocalChromiumPod pod) => Measure(pod, ProcessTable.Read().Trees(pod.Roots));

    private static long Measure(LocalChromiumPod pod, List<ProcessTable.Entry> tree)
    {
        var proportional = tree.Sum(process => ProcFs.ProportionalSetSizeBytes(process.Pid));
        return proportional + InMemoryFiles(pod, tree);
    }

    /// <summary>What the sandbox keeps in its tmpfs mounts, seen through the root of one of its processes.</summary>
    private static long InMemoryFiles(LocalChromiumPod pod, List<ProcessTable.Entry> tree)
    {
        if (pod.Browser is not { } browser)
        {
            return 0;
        }

        // The launcher is outside the sandbox's mounts; its child, bubblewrap's own, is inside.
        var inside = tree.FirstOrDefault(process => process.ParentPid == browser.Pid);
        if (inside.Pid == 0)
        {
            return 0;
        }

        long used = 0;
        foreach (var mount in new[] { "tmp", "dev/shm" })
        {
            try
            {
                var drive = new DriveInfo($"/proc/{inside.Pid}/root/{mount}");
                used += drive.TotalSize - drive.TotalFreeSpace;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // Gone, or not a mount of its own (unsandboxed).
            }
        }

        return used;
    }
}
