using System.Globalization;
using System.Runtime.InteropServices;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>What Linux <c>/proc</c> says about processes, and the few writes the provider makes there.</summary>
internal static partial class ProcFs
{
    private const int SigKill = 9;
    private const string MaxOomScoreAdj = "1000";

    public static bool IsAvailable => File.Exists("/proc/self/stat");

    public static IEnumerable<int> ProcessIds()
    {
        if (!IsAvailable)
        {
            yield break;
        }

        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                yield return pid;
            }
        }
    }

    /// <summary>The process's arguments; empty when it is gone or a zombie.</summary>
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

    /// <summary>The fields of <c>/proc/&lt;pid&gt;/stat</c> after the command name (field 3 onwards); null when the process is gone.</summary>
    public static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may contain spaces and parentheses, so count fields after its closing one.
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>When the process started, in clock ticks since boot; together with the pid this names one process for good.</summary>
    public static long? StartTicks(int pid) =>
        StatFields(pid) is { Length: > 19 } fields && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            ? ticks
            : null;

    public static bool IsRunning(int pid, long? startTicks) =>
        StatFields(pid) is { Length: > 19 } fields
        && fields[0] != "Z"
        && (startTicks is null || fields[19] == startTicks.Value.ToString(CultureInfo.InvariantCulture));

    public static bool IsRunning(ProcessIdentity process) => IsRunning(process.Pid, process.StartTicks);

    public static ProcessIdentity? Identify(int pid) => StartTicks(pid) is { } ticks ? new ProcessIdentity(pid, ticks) : null;

    /// <summary>SIGKILLs the process if it is still the one named (not a later process that reused the pid).</summary>
    public static void Kill(ProcessIdentity process)
    {
        if (IsRunning(process))
        {
            _ = SendSignal(process.Pid, SigKill);
        }
    }

    public static bool References(int pid, string directory) => References(CommandLine(pid), directory);

    /// <summary>
    /// Whether any argument names the directory or something in it. Chromium's helper processes rewrite their title, which
    /// can turn all arguments into one space-separated string, so a match may also end at a space, a colon or a comma
    /// (socat's address syntax).
    /// </summary>
    public static bool References(IEnumerable<string> arguments, string directory) =>
        arguments.Any(argument => NamesDirectory(argument, directory));

    public static List<int> ProcessesReferencing(string directory) =>
        ProcessIds().Where(pid => pid != Environment.ProcessId && References(pid, directory)).ToList();

    /// <summary>Proportional set size (shared pages divided among their users) from <c>smaps_rollup</c>; 0 when gone.</summary>
    public static long ProportionalSetSizeBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
            {
                if (line.StartsWith("Pss:", StringComparison.Ordinal))
                {
                    var kilobytes = line["Pss:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
        }

        return 0;
    }

    /// <summary>
    /// Makes the process (and everything it starts later) the kernel OOM killer's first choice, so that a pod running the
    /// machine out of memory is what dies, never the control plane or the database.
    /// </summary>
    public static void PreferForOomKill(int pid, bool onlyIfLower = false)
    {
        var path = $"/proc/{pid}/oom_score_adj";
        if (onlyIfLower && ReadTrimmed(path) is null or MaxOomScoreAdj)
        {
            return;
        }

        TryWrite(path, MaxOomScoreAdj);
    }

    /// <summary>Sets the nice value of the process's scheduler autogroup (its session): the CPU weight of the whole session against others.</summary>
    public static bool SetAutogroupNice(int pid, int nice) => TryWrite($"/proc/{pid}/autogroup", nice.ToString(CultureInfo.InvariantCulture));

    private static string? ReadTrimmed(string path)
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

    private static bool TryWrite(string path, string value)
    {
        try
        {
            File.WriteAllText(path, value);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool NamesDirectory(string text, string directory)
    {
        for (var at = text.IndexOf(directory, StringComparison.Ordinal); at >= 0; at = text.IndexOf(directory, at + 1, StringComparison.Ordinal))
        {
            var end = at + directory.Length;
            if (end == text.Length || text[end] is '/' or ' ' or ',' or ':')
            {
                return true;
            }
        }

        return false;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
