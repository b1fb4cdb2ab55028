using Microsoft.Extensions.Logging;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// Removes what an earlier provider left in the pods directory (it was SIGKILLed, or the machine lost power): every process
/// of each pod (whatever the marker names, their descendants, anything that names the pod's directory), its cgroup, and
/// its directory. A directory whose owner still runs is left alone.
/// </summary>
/// <remarks>
/// A SIGKILLed silo's sandboxes normally die with it (bubblewrap's <c>--die-with-parent</c>, <c>setpriv --pdeathsig</c> for the
/// network and the bridge); this sweep is what makes sure, and it removes the files.
/// </remarks>
internal sealed class StalePodSweeper(string root, PodCgroups? cgroups, ILogger logger)
{
    public static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(10);

    public async Task SweepAsync(Func<string, bool> isLive, CancellationToken cancellationToken)
    {
        foreach (var directory in Directory.GetDirectories(root))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!isLive(Path.GetFileName(directory)))
            {
                await RemoveAsync(directory);
            }
        }

        if (cgroups is not null)
        {
            foreach (var podId in cgroups.PodIds().Where(id => !isLive(id) && !Directory.Exists(Path.Combine(root, id))).ToList())
            {
                await cgroups.RemoveAsync(podId);
            }
        }
    }

    public async Task RemoveAsync(string directory)
    {
        var marker = LocalChromiumPodMarker.TryRead(directory);
        if (marker is not null
            && marker.OwnerPid != Environment.ProcessId
            && ProcFs.IsRunning(marker.OwnerPid, marker.OwnerStartTicks))
        {
            logger.LogWarning(
                "Pod directory {Directory} belongs to running process {OwnerPid}; leaving it (give each silo its own PodsDirectory)",
                directory, marker.OwnerPid);
            return;
        }

        IEnumerable<ProcessIdentity> roots = marker?.Processes ?? [];
        if (marker is { Processes: null } && ProcFs.Identify(marker.Pid) is { } legacy && ProcFs.References(marker.Pid, directory))
        {
            roots = [legacy];
        }

        var survivors = await PodReaper.KillAllAsync(roots, directory, ExitWait);
        if (survivors.Count > 0)
        {
            logger.LogWarning("Processes {Pids} of stale pod {Directory} did not exit", survivors, directory);
        }
        else if (marker is not null)
        {
            logger.LogInformation("Removed stale pod {PodId} left by process {OwnerPid}", marker.PodId, marker.OwnerPid);
        }

        var name = Path.GetFileName(directory);
        if (cgroups is not null && LocalChromiumPodIds.IsPodId(name))
        {
            await cgroups.RemoveAsync(name);
        }

        await PodDirectory.DeleteAsync(root, directory, logger);
    }
}
