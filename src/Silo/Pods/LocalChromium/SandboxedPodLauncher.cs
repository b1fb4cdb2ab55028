using System.Text;
using UFBrowsers.Pods;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// Starts a pod in its sandbox, in this order: the launcher (its own network namespace; it waits), slirp4netns (which
/// configures that namespace's tap device and says so), then "go" with the routing policy to the launcher, which applies the
/// policy as root and becomes bubblewrap running Chromium as the sandbox's user; finally the DevTools bridge.
/// </summary>
internal sealed class SandboxedPodLauncher(LocalChromiumOptions options, ProcessSpawner spawner, PodLimits limits) : IPodLauncher
{
    private const string BrowserTargetPath = "/devtools/browser/";

    private readonly SandboxCommands _commands = new(options);

    public async Task LaunchAsync(LocalChromiumPod pod, BrowserLaunch browser, CancellationToken cancellationToken)
    {
        pod.Directory.CreateForSandbox(options.SandboxUid, options.SandboxGid, PodNetworkPolicy.ResolvConf);
        limits.Prepare(pod);

        var launcher = await StartAsync(pod, PodProcessRoles.Browser, _commands.Launcher(pod.Directory, browser));
        await WaitUntilInOwnNetworkNamespaceAsync(launcher, cancellationToken);
        var network = await StartAsync(pod, PodProcessRoles.Network, _commands.UserModeNetwork(launcher.Pid), readStdout: true);
        await WaitUntilConfiguredAsync(network, cancellationToken);

        var policy = PodNetworkPolicy.IpBatch(options.Network.EffectiveBlockedCidrs, PodNetworkPolicy.HostAddresses(), options.SandboxUid);
        try
        {
            await using var input = launcher.Process.StandardInput;
            await input.WriteAsync(new StringBuilder("go\n").Append(policy), cancellationToken);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"The sandbox of pod {pod.Id} exited before it could be configured.{Suffix(launcher)}", ex);
        }

        await StartAsync(pod, PodProcessRoles.Bridge, _commands.DevToolsBridge(pod.Directory, launcher.Pid));
    }

    /// <remarks>
    /// The port is fixed (the namespace is the pod's own), so the browser target comes from <c>/json/version</c> through the
    /// bridge; its URL names only <c>localhost</c>, the Host the bridge's requests carry.
    /// </remarks>
    public async Task<PodLease?> TryLeaseAsync(LocalChromiumPod pod, CancellationToken cancellationToken)
    {
        // Until Chromium says DevTools listens, every request through the bridge would only fork a socat that finds nothing
        // to connect to.
        if (!File.Exists(pod.Directory.DevToolsSocket) || pod.Browser is not { DevToolsListening.IsCompleted: true })
        {
            return null;
        }

        var endpoint = DevToolsEndpoint.ForSocket(pod.Directory.DevToolsSocket);
        var url = await endpoint.BrowserWebSocketUrlAsync(cancellationToken);
        var prefix = endpoint.WebSocketUrl(BrowserTargetPath);
        return url is not null && url.StartsWith(prefix, StringComparison.Ordinal) && Guid.TryParse(url[prefix.Length..], out _)
            ? endpoint.Lease(pod.Id, pod.NodePool, url[endpoint.WebSocketUrl("").Length..], PodDirectory.SandboxDownloads)
            : null;
    }

    public void Started(LocalChromiumPod pod) => limits.SetSessionWeight(pod);

    private async Task<PodProcess> StartAsync(LocalChromiumPod pod, string role, System.Diagnostics.ProcessStartInfo start, bool readStdout = false)
    {
        var process = await PodProcess.StartAsync(spawner, role, start, readStdout);
        if (!pod.TryAttach(process))
        {
            // The pod was deleted (or the provider stopped) while this process started: it was never seen by the destruction.
            process.Process.Kill(entireProcessTree: true);
            process.Dispose();
            throw new InvalidOperationException("The local Chromium pod provider has stopped.");
        }

        limits.Confine(pod, process.Pid);
        return process;
    }

    /// <summary>
    /// slirp4netns and the bridge join the namespace of the launcher's pid, which is the silo's own until <c>unshare</c> has
    /// made the new one. Seen on a loaded machine: slirp4netns started first, configured the host's namespace, and the pod's
    /// loopback stayed down (DevTools unreachable, the start timed out). So nothing joins before the namespace has changed.
    /// </summary>
    private static async Task WaitUntilInOwnNetworkNamespaceAsync(PodProcess launcher, CancellationToken cancellationToken)
    {
        var ours = new FileInfo("/proc/self/ns/net").LinkTarget;
        var theirs = $"/proc/{launcher.Pid}/ns/net";
        while (new FileInfo(theirs).LinkTarget is var target && (target is null || target == ours))
        {
            if (launcher.HasExited)
            {
                throw new InvalidOperationException($"The sandbox's launcher exited with code {launcher.ExitCode} before making its network namespace.{Suffix(launcher)}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(1), cancellationToken);
        }
    }

    /// <summary>slirp4netns writes one byte to its ready fd (our stdout) once tap0 is up with its address and default route.</summary>
    private static async Task WaitUntilConfiguredAsync(PodProcess network, CancellationToken cancellationToken)
    {
        var ready = new char[1];
        var read = await network.Process.StandardOutput.ReadAsync(ready, cancellationToken);
        if (read == 0)
        {
            await network.Exited.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw new InvalidOperationException($"slirp4netns exited with code {network.ExitCode} before the pod's network was up.{Suffix(network)}");
        }
    }

    private static string Suffix(PodProcess process) =>
        process.StderrTail() is { Length: > 0 } tail ? $" Last output:{Environment.NewLine}{tail}" : "";
}
