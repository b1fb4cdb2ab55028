using System.Globalization;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>What Linux <c>/proc</c> says about processes; used to recognise (and only then kill) Chromium processes of a pod.</summary>
internal static class ProcFs
{
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

    /// <summary>When the process started, in clock ticks since boot; together with the pid this names one process for good.</summary>
    public static long? StartTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may contain spaces and parentheses, so count fields after its closing one.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[19], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    public static bool IsRunning(int pid, long? startTicks) =>
        StartTicks(pid) is { } actual && (startTicks is null || actual == startTicks);

    public static bool References(int pid, string directory) => References(CommandLine(pid), directory);

    /// <summary>
    /// Whether any argument names the directory or something in it. Chromium's helper processes rewrite their title, which
    /// can turn all arguments into one space-separated string, so a match may also end at a space.
    /// </summary>
    public static bool References(IEnumerable<string> arguments, string directory) =>
        arguments.Any(argument => NamesDirectory(argument, directory));

    private static bool NamesDirectory(string text, string directory)
    {
        for (var at = text.IndexOf(directory, StringComparison.Ordinal); at >= 0; at = text.IndexOf(directory, at + 1, StringComparison.Ordinal))
        {
            var end = at + directory.Length;
            if (end == text.Length || text[end] is '/' or ' ')
            {
                return true;
            }
        }

        return false;
    }

    public static List<int> ProcessesReferencing(string directory) =>
        ProcessIds().Where(pid => pid != Environment.ProcessId && References(pid, directory)).ToList();
}
