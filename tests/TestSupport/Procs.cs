using System.Globalization;

namespace UFBrowsers.TestSupport;

/// <summary>What <c>/proc</c> says about processes, read independently of the provider's own code, for assertions.</summary>
public static class Procs
{
    public readonly record struct Info(int Pid, int ParentPid, char State, long StartTicks);

    public static Dictionary<int, Info> Snapshot()
    {
        var all = new Dictionary<int, Info>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } info)
            {
                all[pid] = info;
            }
        }

        return all;
    }

    public static Info? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return new Info(pid, int.Parse(fields[1], CultureInfo.InvariantCulture), fields[0][0], long.Parse(fields[19], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>True while the process with this pid and start time is alive (a zombie is dead: it only waits to be reaped).</summary>
    public static bool IsAlive(int pid, long startTicks) => Read(pid) is { } info && info.StartTicks == startTicks && info.State != 'Z';

    /// <summary>Those of the processes (taken earlier) that still run.</summary>
    public static List<Info> StillAlive(IEnumerable<Info> processes) => processes.Where(p => IsAlive(p.Pid, p.StartTicks)).ToList();

    /// <summary>The live processes among the roots and all their descendants.</summary>
    public static List<Info> Trees(IEnumerable<(int Pid, long StartTicks)> roots)
    {
        var all = Snapshot();
        var children = all.Values.ToLookup(i => i.ParentPid);
        var found = new List<Info>();
        var pending = new Stack<int>(roots.Where(r => all.TryGetValue(r.Pid, out var i) && i.StartTicks == r.StartTicks).Select(r => r.Pid));
        var seen = new HashSet<int>();
        while (pending.TryPop(out var pid))
        {
            if (!seen.Add(pid) || !all.TryGetValue(pid, out var info))
            {
                continue;
            }

            if (info.State != 'Z')
            {
                found.Add(info);
            }

            foreach (var child in children[pid])
            {
                pending.Push(child.Pid);
            }
        }

        return found;
    }

    public static string[] CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Live processes (other than this one) with an argument that contains <paramref name="text"/>.</summary>
    public static List<int> Naming(string text) =>
        Snapshot().Values
            .Where(i => i.Pid != Environment.ProcessId && i.State != 'Z' && CommandLine(i.Pid).Any(a => a.Contains(text, StringComparison.Ordinal)))
            .Select(i => i.Pid)
            .ToList();

    /// <summary>The namespace a process is in, e.g. <c>net:[4026531840]</c>; null when it is gone.</summary>
    public static string? Namespace(int pid, string kind)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/ns/{kind}").LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A field of <c>/proc/&lt;pid&gt;/status</c>, e.g. <c>Uid</c>.</summary>
    public static string? Status(int pid, string field)
    {
        try
        {
            return File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal))?[(field.Length + 1)..].Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static string? ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
