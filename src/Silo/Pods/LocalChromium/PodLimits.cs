using System.Globalization;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// What is applied to every process of a pod as it starts: the highest OOM score (the kernel's OOM killer takes a pod, never
/// the control plane or the database), the pod's cgroup when one is delegated, and for a sandbox the CPU weight of its
/// session (a session of its own: the kernel shares CPU fairly between sessions, whatever their number of processes).
/// </summary>
internal sealed class PodLimits(PodCgroups? cgroups, int autogroupNice)
{
    public PodCgroups? Cgroups => cgroups;

    public void Prepare(LocalChromiumPod pod) => cgroups?.Create(pod.Id);

    /// <summary>Applied before the process runs anything of the tenant's; its descendants inherit both.</summary>
    public void Confine(LocalChromiumPod pod, int pid)
    {
        ProcFs.PreferForOomKill(pid);
        cgroups?.Add(pod.Id, pid);
    }

    /// <summary>Once the browser runs: the CPU weight of the sandbox's session (the child of the launcher leads it), when configured.</summary>
    public void SetSessionWeight(LocalChromiumPod pod)
    {
        if (autogroupNice == 0 || pod.Browser is not { } launcher)
        {
            return;
        }

        try
        {
            var children = File.ReadAllText($"/proc/{launcher.Pid}/task/{launcher.Pid}/children")
                .Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var child in children)
            {
                ProcFs.SetAutogroupNice(int.Parse(child, CultureInfo.InvariantCulture), autogroupNice);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The browser is already gone; its loss is reported elsewhere.
        }
    }

    public string? WhyKilled(LocalChromiumPod pod) =>
        cgroups?.WasOomKilled(pod.Id) == true ? "it ran out of memory (cgroup memory.max)" : null;

    public Task ReleaseAsync(LocalChromiumPod pod) => cgroups?.RemoveAsync(pod.Id) ?? Task.CompletedTask;
}
