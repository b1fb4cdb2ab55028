using System.Globalization;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// A snapshot of the machine's processes from <c>/proc/&lt;pid&gt;/stat</c> (one read per process): parent, start time and
/// resident memory. A pod's processes are the trees under the few processes the provider started for it: every sandboxed
/// process descends from its launcher, whichever namespaces Chromium puts its renderers in.
/// </summary>
internal sealed class ProcessTable
{
    private static readonly long PageSize = Environment.SystemPageSize;

    private readonly Dictionary<int, Entry> _entries;
    private readonly ILookup<int, int> _children;

    private ProcessTable(Dictionary<int, Entry> entries)
    {
        _entries = entries;
        _children = entries.Values.ToLookup(entry => entry.ParentPid, entry => entry.Pid);
    }

    public readonly record struct Entry(int Pid, int ParentPid, long StartTicks, long ResidentBytes)
    {
        public ProcessIdentity Identity => new(Pid, StartTicks);
    }

    /// <summary>Every live process (zombies left out: they hold no memory and cannot be killed again).</summary>
    public static ProcessTable Read()
    {
        var entries = new Dictionary<int, Entry>();
        foreach (var pid in ProcFs.ProcessIds())
        {
            if (ProcFs.StatFields(pid) is not { Length: > 21 } fields || fields[0] == "Z")
            {
                continue;
            }

            if (int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)
                && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                && long.TryParse(fields[21], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var residentPages))
            {
                entries[pid] = new Entry(pid, parent, start, residentPages * PageSize);
            }
        }

        return new ProcessTable(entries);
    }

    /// <summary>Whether the process is alive (a zombie is not).</summary>
    public bool Contains(ProcessIdentity process) => _entries.TryGetValue(process.Pid, out var entry) && entry.StartTicks == process.StartTicks;

    /// <summary>The named processes that still run, and all their descendants.</summary>
    public List<Entry> Trees(IEnumerable<ProcessIdentity> roots)
    {
        var found = new List<Entry>();
        var pending = new Stack<int>();
        foreach (var root in roots)
        {
            if (_entries.TryGetValue(root.Pid, out var entry) && entry.StartTicks == root.StartTicks)
            {
                pending.Push(root.Pid);
            }
        }

        var seen = new HashSet<int>();
        while (pending.TryPop(out var pid))
        {
            if (!seen.Add(pid) || !_entries.TryGetValue(pid, out var entry))
            {
                continue;
            }

            found.Add(entry);
            foreach (var child in _children[pid])
            {
                pending.Push(child);
            }
        }

        return found;
    }
}
