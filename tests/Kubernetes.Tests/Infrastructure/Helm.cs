using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.Loader;

namespace UFBrowsers.Kubernetes.Tests.Infrastructure;

/// <summary>
/// A real helm (v3.8.1). The NuGet package Amazon.CDK.Asset.KubectlV20 embeds an npm tarball whose
/// <c>package/lib/layer.zip</c> holds <c>helm/helm</c>; it is extracted once per machine into the temp directory.
/// </summary>
public static class Helm
{
    public const string Version = "v3.8.1";

    private static readonly Lazy<string> s_binary = new(Extract, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string ChartDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "helm");

    public static string Binary => s_binary.Value;

    /// <summary><c>helm template</c> of the chart as release "ufbrowsers" in namespace "ufbrowsers".</summary>
    public static HelmResult Template(string? valuesFile = null, params string[] sets)
    {
        var args = new List<string> { "template", "ufbrowsers", ChartDirectory, "--namespace", "ufbrowsers" };
        if (valuesFile is not null)
        {
            args.AddRange(["--values", valuesFile]);
        }

        foreach (var set in sets)
        {
            args.AddRange(["--set", set]);
        }

        return Run([.. args]);
    }

    public static HelmResult Lint(string? valuesFile = null)
    {
        var args = new List<string> { "lint", ChartDirectory, "--strict" };
        if (valuesFile is not null)
        {
            args.AddRange(["--values", valuesFile]);
        }

        return Run([.. args]);
    }

    public static HelmResult Run(params string[] args)
    {
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // helm keeps its cache and config under these; a throwaway home keeps runs independent of the machine.
        var home = Path.Combine(Path.GetTempPath(), "ufbrowsers-helm-home");
        start.Environment["HELM_CACHE_HOME"] = Path.Combine(home, "cache");
        start.Environment["HELM_CONFIG_HOME"] = Path.Combine(home, "config");
        start.Environment["HELM_DATA_HOME"] = Path.Combine(home, "data");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"helm {string.Join(' ', args)} did not finish in 2 minutes.");
        }

        return new HelmResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Extract()
    {
        var target = Path.Combine(Path.GetTempPath(), $"ufbrowsers-helm-{Version}", "helm");
        if (File.Exists(target))
        {
            return target;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var assemblyPath = Path.Combine(AppContext.BaseDirectory, "tools", "Amazon.CDK.Asset.KubectlV20.dll");

        // Loaded only to read its manifest resource, in a context of its own that is thrown away after.
        var context = new AssemblyLoadContext("kubectl-asset", isCollectible: true);
        try
        {
            var assembly = context.LoadFromAssemblyPath(assemblyPath);
            var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".tgz", StringComparison.Ordinal));
            using var tarball = new GZipStream(assembly.GetManifestResourceStream(resource)!, CompressionMode.Decompress);
            using var tar = new TarReader(tarball);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.Name != "package/lib/layer.zip")
                {
                    continue;
                }

                using var layer = new MemoryStream();
                entry.DataStream!.CopyTo(layer);
                using var zip = new ZipArchive(layer, ZipArchiveMode.Read);
                var helm = zip.GetEntry("helm/helm") ?? throw new InvalidOperationException("layer.zip has no helm/helm.");

                // Written beside the target and moved into place, so parallel test processes never run a half-written file.
                var partial = target + "." + Environment.ProcessId;
                helm.ExtractToFile(partial, overwrite: true);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(partial, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
                }

                File.Move(partial, target, overwrite: true);
                return target;
            }

            throw new InvalidOperationException($"{resource} has no package/lib/layer.zip.");
        }
        finally
        {
            context.Unload();
        }
    }
}

public sealed record HelmResult(int ExitCode, string Output, string Error)
{
    public string EnsureSuccess() =>
        ExitCode == 0 ? Output : throw new InvalidOperationException($"helm failed ({ExitCode}): {Error}");
}
