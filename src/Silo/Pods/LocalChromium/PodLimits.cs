using System.Globalization;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// What is applied to every process of a pod as it starts: the highest OOM score (the kernel's OOM killer takes a pod, never
/// the control plane or the database), the pod's cgroup when one is delegated, and for a sandbox a lower CPU weight for its
/// session than the control plane's.
/// </summary>
internal sealed class PodLimits(PodCgroups? cgroups)
{
    /// <summary>
    /// Nice value of a sandboxed pod's scheduler autogroup (bubblewrap starts each pod in a session of its own, and the
    /// kernel shares CPU fairly between sessions): weight 110 against the control plane's 1024, so under contention ten
    /// busy pods together get about as much CPU as the API and silo, however many processes each pod runs.
    /// </summary>
    public const int SandboxAutogroupNice = 10;

    public PodCgroups? Cgroups => cgroups;

    public void Prepare(LocalChromiumPod pod) => cgroups?.Create(pod.Id);

    /// <summary>Applied before the process runs anything of the tenant's; its descendants inherit both.</summary>
    public void Confine(LocalChromiumPod pod, int pid)
    {
        ProcFs.PreferForOomKill(pid);
        cgroups?.Add(pod.Id, pid);
    }

    /// <summary>Once the browser runs: the CPU weight of the sandbox's session (the child of the launcher leads it).</summary>
    public static void LowerSessionWeight(LocalChromiumPod pod)
    {
        if (pod.Browser is not { } launcher)
        {
            return;
        }

        try
        {
            var children = File.ReadAllText($"/proc/{launcher.Pid}/task/{launcher.Pid}/children")
                .Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var child in children)
            {
                ProcFs.SetAutogroupNice(int.Parse(child, CultureInfo.InvariantCulture), SandboxAutogroupNice);
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
