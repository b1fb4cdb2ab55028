using System.Globalization;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// Kernel-enforced limits from a cgroup v2 directory delegated to the product: each pod gets
/// <c>&lt;parent&gt;/&lt;pod id&gt;</c> with <c>memory.max</c>, no swap, <c>memory.oom.group</c> (the kernel kills the whole
/// pod, never a neighbour) and <c>cpu.max</c>; every process the provider starts for the pod is placed in it before it runs
/// anything of the tenant's, and its descendants follow.
/// </summary>
internal sealed class PodCgroups
{
    private const long CpuPeriodMicroseconds = 100_000;

    private readonly string _parent;
    private readonly PodResourceLimits _limits;

    private PodCgroups(string parent, PodResourceLimits limits)
    {
        _parent = parent;
        _limits = limits;
    }

    public string Parent => _parent;

    /// <summary>Opens the configured parent, enabling the memory and cpu controllers for its children; throws with the reason when it cannot be used.</summary>
    public static PodCgroups Open(string parent, PodResourceLimits limits)
    {
        var full = Path.GetFullPath(parent);
        InvalidOperationException Unusable(string why) => new(
            $"{LocalChromiumOptions.Section}:Limits:CgroupParent '{full}' cannot be used: {why}. Delegate a cgroup v2 directory to the " +
            "service (e.g. systemd Delegate=yes) or leave CgroupParent unset to use the memory watchdog.");

        var controllers = Path.Combine(full, "cgroup.controllers");
        if (!File.Exists(controllers))
        {
            throw Unusable("it is not a cgroup v2 directory (no cgroup.controllers)");
        }

        var available = File.ReadAllText(controllers).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!available.Contains("memory") || !available.Contains("cpu"))
        {
            throw Unusable($"its controllers are '{string.Join(' ', available)}', memory and cpu are needed");
        }

        try
        {
            var subtree = Path.Combine(full, "cgroup.subtree_control");
            var enabled = File.ReadAllText(subtree).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (!enabled.Contains("memory") || !enabled.Contains("cpu"))
            {
                File.WriteAllText(subtree, "+memory +cpu");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unusable($"the memory and cpu controllers cannot be enabled for its children ({ex.Message}; a cgroup with processes of its own cannot have both)");
        }

        return new PodCgroups(full, limits);
    }

    public string PathOf(string podId) => Path.Combine(_parent, podId);

    public void Create(string podId)
    {
        var cgroup = PathOf(podId);
        Directory.CreateDirectory(cgroup);
        Write(cgroup, "memory.max", _limits.MemoryBytes.ToString(CultureInfo.InvariantCulture));
        WriteIfPresent(cgroup, "memory.swap.max", "0");
        Write(cgroup, "memory.oom.group", "1");
        var quota = _limits.CpuMillicores * CpuPeriodMicroseconds / 1000;
        Write(cgroup, "cpu.max", $"{quota.ToString(CultureInfo.InvariantCulture)} {CpuPeriodMicroseconds.ToString(CultureInfo.InvariantCulture)}");
    }

    public void Add(string podId, int pid) => Write(PathOf(podId), "cgroup.procs", pid.ToString(CultureInfo.InvariantCulture));

    /// <summary>Whether the kernel killed the pod for its memory limit.</summary>
    public bool WasOomKilled(string podId)
    {
        try
        {
            return File.ReadLines(Path.Combine(PathOf(podId), "memory.events"))
                .Select(line => line.Split(' '))
                .Any(fields => fields is ["oom_kill" or "oom_group_kill", var count] && count != "0");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Kills whatever is left in the pod's cgroup and removes it.</summary>
    public async Task RemoveAsync(string podId)
    {
        var cgroup = PathOf(podId);
        if (!Directory.Exists(cgroup))
        {
            return;
        }

        WriteIfPresent(cgroup, "cgroup.kill", "1");
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                Directory.Delete(cgroup);
                return;
            }
            catch (IOException)
            {
                // Busy until its last process has exited.
                await Task.Delay(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    /// <summary>The pod cgroups under the parent (for the stale-pod sweep).</summary>
    public IEnumerable<string> PodIds() =>
        Directory.EnumerateDirectories(_parent).Select(Path.GetFileName).Where(name => name is not null && LocalChromiumPodIds.IsPodId(name))!;

    private static void Write(string cgroup, string file, string value) => File.WriteAllText(Path.Combine(cgroup, file), value);

    private static void WriteIfPresent(string cgroup, string file, string value)
    {
        var path = Path.Combine(cgroup, file);
        if (File.Exists(path))
        {
            File.WriteAllText(path, value);
        }
    }
}
