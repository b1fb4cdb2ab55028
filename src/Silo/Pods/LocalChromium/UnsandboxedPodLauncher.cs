using System.Diagnostics;
using System.Globalization;
using UFBrowsers.Pods;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// Chromium as the silo's own user with <c>--no-sandbox</c> and DevTools on 127.0.0.1: what an operator gets with
/// <c>Sandbox: false</c>. Its HOME and TMPDIR are still in the pod's directory, so nothing of it outlives the pod.
/// </summary>
internal sealed class UnsandboxedPodLauncher(LocalChromiumOptions options, ProcessSpawner spawner, PodLimits limits) : IPodLauncher
{
    private static readonly string[] InheritedEnvironment = ["PATH", "LANG", "LANGUAGE", "LC_ALL", "TZ", "FONTCONFIG_PATH", "FONTCONFIG_FILE"];

    public async Task LaunchAsync(LocalChromiumPod pod, BrowserLaunch browser, CancellationToken cancellationToken)
    {
        pod.Directory.CreateUnsandboxed();
        limits.Prepare(pod);

        // In a session of its own, as a sandboxed pod is (bubblewrap's --new-session): the kernel then shares CPU per pod
        // (one scheduler autogroup each) rather than counting every browser into the silo's own share. setsid execs the
        // browser in place, so the process started is the browser.
        var setsid = SandboxCommands.Find("setsid");
        var start = new ProcessStartInfo(setsid ?? browser.Executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = pod.Directory.Path,
        };
        if (setsid is not null)
        {
            start.ArgumentList.Add(browser.Executable);
        }

        foreach (var argument in ChromiumCommandLine.Unsandboxed(options, browser, pod.Directory))
        {
            start.ArgumentList.Add(argument);
        }

        // The browser is driven by customers: it gets none of the silo's environment (connection strings, keys) beyond these.
        start.Environment.Clear();
        foreach (var name in InheritedEnvironment)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                start.Environment[name] = value;
            }
        }

        start.Environment["HOME"] = pod.Directory.Home;
        start.Environment["TMPDIR"] = pod.Directory.Tmp;

        var process = await PodProcess.StartAsync(spawner, PodProcessRoles.Browser, start);
        if (!pod.TryAttach(process))
        {
            process.Process.Kill(entireProcessTree: true);
            process.Dispose();
            throw new InvalidOperationException("The local Chromium pod provider has stopped.");
        }

        limits.Confine(pod, process.Pid);
    }

    /// <summary>Chromium picks a free port and writes it, with the browser target's path, into DevToolsActivePort.</summary>
    public async Task<PodLease?> TryLeaseAsync(LocalChromiumPod pod, CancellationToken cancellationToken)
    {
        if (TryReadDevToolsActivePort(Path.Combine(pod.Directory.Profile, "DevToolsActivePort")) is not (var port, var browserPath))
        {
            return null;
        }

        var endpoint = DevToolsEndpoint.ForPort(port);
        return await endpoint.BrowserWebSocketUrlAsync(cancellationToken) == endpoint.WebSocketUrl(browserPath)
            ? endpoint.Lease(pod.Id, pod.NodePool, browserPath, pod.Directory.Downloads)
            : null;
    }

    /// <summary>Chromium writes the port on line 1 and the browser target path on line 2, once it listens.</summary>
    private static (int Port, string BrowserPath)? TryReadDevToolsActivePort(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (lines.Length < 2
            || !int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is <= 0 or > 65535
            || !lines[1].StartsWith("/devtools/browser/", StringComparison.Ordinal))
        {
            return null;
        }

        return (port, lines[1].Trim());
    }

    public void Started(LocalChromiumPod pod)
    {
    }
}
