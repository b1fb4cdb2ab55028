using System.Diagnostics;
using System.Text.RegularExpressions;

namespace UFBrowsers.Kubernetes.Tests.Infrastructure;

/// <summary>
/// The instructions of a Dockerfile, read well enough to replay a build stage's COPY and RUN steps on this machine (there
/// is no Docker engine here): line continuations joined, comments dropped, stages split at FROM.
/// </summary>
public sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<Instruction> instructions) => Instructions = instructions;

    public IReadOnlyList<Instruction> Instructions { get; }

    public static Dockerfile Load(string path)
    {
        var joined = Continuation().Replace(File.ReadAllText(path), " ");
        var instructions = joined.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2) is [var keyword, var rest] ? new Instruction(keyword.ToUpperInvariant(), rest.Trim()) : new Instruction(l.ToUpperInvariant(), ""))
            .ToList();
        return new Dockerfile(instructions);
    }

    /// <summary>The instructions of the stage named <paramref name="name"/> (<c>FROM … AS name</c>), or of the last stage.</summary>
    public IReadOnlyList<Instruction> Stage(string? name = null)
    {
        var stages = new List<List<Instruction>>();
        foreach (var instruction in Instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                stages.Add([]);
            }

            stages[^1].Add(instruction);
        }

        return name is null
            ? stages[^1]
            : stages.Single(s => s[0].Arguments.EndsWith(" AS " + name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Replays a build stage in <paramref name="root"/> (the stage's absolute paths re-rooted there): WORKDIR, COPY from the
    /// build context (skipping what .dockerignore leaves out) and RUN through /bin/sh.
    /// </summary>
    public static void Replay(IReadOnlyList<Instruction> stage, string context, string root, IReadOnlyList<string> ignoredDirectories)
    {
        var workdir = "/";
        foreach (var instruction in stage)
        {
            switch (instruction.Keyword)
            {
                case "WORKDIR":
                    workdir = instruction.Arguments;
                    Directory.CreateDirectory(Rooted(root, workdir));
                    break;
                case "COPY":
                    var parts = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    var target = parts[^1];
                    var destination = Rooted(root, target.StartsWith('/') ? target : Path.Combine(workdir, target));
                    var intoDirectory = parts.Length > 2 || target.EndsWith('/') || target is "." or "./";
                    foreach (var source in parts[..^1])
                    {
                        var from = Path.Combine(context, source);
                        Copy(from, Directory.Exists(from) || !intoDirectory ? destination : Path.Combine(destination, Path.GetFileName(from)), ignoredDirectories);
                    }

                    break;
                case "RUN":
                    Run(instruction.Arguments.Replace(" /app", " " + Rooted(root, "/app"), StringComparison.Ordinal), Rooted(root, workdir));
                    break;
            }
        }
    }

    public static string Rooted(string root, string path) => Path.Combine(root, path.TrimStart('/'));

    private static void Copy(string source, string destination, IReadOnlyList<string> ignoredDirectories)
    {
        if (File.Exists(source))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(source, destination, overwrite: true);
            return;
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).SkipLast(1).Any(ignoredDirectories.Contains))
            {
                continue;
            }

            var target = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    private static void Run(string command, string workdir)
    {
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = workdir, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"RUN {command} did not finish in 8 minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"RUN {command} failed ({process.ExitCode}):\n{output.Result}\n{error.Result}");
        }
    }

    [GeneratedRegex(@"\\\r?\n")]
    private static partial Regex Continuation();
}

public sealed record Instruction(string Keyword, string Arguments);
