namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>Kills everything of a pod that still runs, and waits until it is gone.</summary>
internal static class PodReaper
{
    // Each round reads every process of the machine; a browser's exit takes from a few milliseconds to a few hundred, so the
    // pause doubles from the first to the last, and a slow exit does not cost a full scan every 20 ms.
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(320);

    /// <summary>
    /// SIGKILLs the named processes, all their descendants (Chromium's zygotes and renderers, whatever namespaces they are
    /// in) and every process whose command line names the pod's directory (bubblewrap, the bridge, an unsandboxed
    /// Chromium's helpers re-parented after it died), again and again until none is left or the time is up.
    /// </summary>
    /// <returns>The pids still running when the time ran out; empty when everything is gone.</returns>
    public static async Task<IReadOnlyList<int>> KillAllAsync(IEnumerable<ProcessIdentity> roots, string directory, TimeSpan timeout)
    {
        // Every process seen once stays on the list until it is gone: a child whose parent was killed first is re-parented
        // out of the tree, and a process still exiting has already lost its command line.
        var seen = new HashSet<ProcessIdentity>(roots);
        var deadline = DateTime.UtcNow + timeout;
        var pause = FirstPause;
        while (true)
        {
            var table = ProcessTable.Read();
            var referencing = ProcFs.ProcessesReferencing(directory).Select(ProcFs.Identify).OfType<ProcessIdentity>();
            seen.UnionWith(table.Trees(seen.Concat(referencing).ToList()).Select(entry => entry.Identity));
            var alive = seen.Where(table.Contains).ToList();
            if (alive.Count == 0)
            {
                return [];
            }

            if (DateTime.UtcNow > deadline)
            {
                return [.. alive.Select(v => v.Pid)];
            }

            foreach (var victim in alive)
            {
                ProcFs.Kill(victim);
            }

            await Task.Delay(pause);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
        }
    }

    /// <summary>The same, synchronously, for the last moments of the process (nothing may be awaited there).</summary>
    public static void KillAllNow(IEnumerable<ProcessIdentity> roots)
    {
        foreach (var victim in ProcessTable.Read().Trees(roots))
        {
            ProcFs.Kill(victim.Identity);
        }
    }
}
