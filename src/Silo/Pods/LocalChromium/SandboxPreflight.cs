using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// Whether this machine can run the sandbox, checked once when the provider starts: every failure is a start-up error
/// saying what is missing, so a silo never hands out an unsandboxed browser by accident.
/// </summary>
internal static partial class SandboxPreflight
{
    public static readonly string[] Tools = ["unshare", "nsenter", "setpriv", "bwrap", "slirp4netns", "socat", "ip"];

    // sun_path is 108 bytes, with the terminating NUL.
    private const int MaxUnixSocketPath = 107;

    private const string OptOut =
        $"To run browsers without a sandbox anyway (every page then sees this machine: only with tenants you trust), set {LocalChromiumOptions.Section}:Sandbox=false.";

    public static async Task CheckAsync(LocalChromiumOptions options, string podsDirectory, ProcessSpawner spawner, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw Refused("the sandbox needs Linux namespaces.");
        }

        if (!Environment.IsPrivilegedProcess)
        {
            throw Refused("the silo is not running as root, which the sandbox needs to give each pod a network namespace of its own.");
        }

        if (options.SandboxUid <= 0 || options.SandboxGid <= 0)
        {
            throw Refused($"{LocalChromiumOptions.Section}:SandboxUid and SandboxGid must name an unprivileged user (not 0).");
        }

        var missing = Tools.Where(tool => SandboxCommands.Find(tool) is null).ToList();
        if (missing.Count > 0)
        {
            throw Refused($"{string.Join(", ", missing)} not found in {SandboxCommands.SystemPath}. Install them with " +
                          "'bash scripts/install-deps.sh' (Debian packages bubblewrap, slirp4netns, socat, iproute2, util-linux).");
        }

        if (ReadSysctl("/proc/sys/user/max_user_namespaces") is 0)
        {
            throw Refused("user namespaces are disabled (user.max_user_namespaces = 0).");
        }

        if (ReadSysctl("/proc/sys/kernel/unprivileged_userns_clone") is 0)
        {
            throw Refused("unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone = 0).");
        }

        if (ReadSysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") is 1)
        {
            throw Refused("AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns = 1).");
        }

        if (!SafePath().IsMatch(podsDirectory))
        {
            throw Refused($"{LocalChromiumOptions.Section}:PodsDirectory '{podsDirectory}' may contain only letters, digits, '/', '.', '_' and '-'.");
        }

        var longestSocket = new PodDirectory(Path.Combine(podsDirectory, new string('x', LocalChromiumPodIds.Length))).DevToolsSocket;
        if (System.Text.Encoding.UTF8.GetByteCount(longestSocket) > MaxUnixSocketPath)
        {
            throw Refused($"{LocalChromiumOptions.Section}:PodsDirectory '{podsDirectory}' is too long: a pod's DevTools socket " +
                          $"('{longestSocket}') must fit in {MaxUnixSocketPath} bytes.");
        }

        for (var directory = Path.GetDirectoryName(podsDirectory); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (Directory.Exists(directory) && !UnixFiles.GetMode(directory).HasFlag(UnixFileMode.OtherExecute))
            {
                throw Refused($"the sandbox's user ({options.SandboxUid}) cannot pass through '{directory}' to reach PodsDirectory " +
                              $"'{podsDirectory}': choose a PodsDirectory whose parents are searchable by all (such as under /tmp or /var/lib).");
            }
        }

        PodNetworkPolicy.Validate(options.Network.EffectiveBlockedCidrs);
        await ProbeAsync(new SandboxCommands(options).Probe(), spawner, cancellationToken);
    }

    /// <summary>
    /// Runs the smallest sandbox of the same kind; a kernel or security module that refuses it is found here, not at the first
    /// session. Started from the spawner's thread like every pod (bubblewrap dies with the thread that started it).
    /// </summary>
    private static async Task ProbeAsync(ProcessStartInfo probe, ProcessSpawner spawner, CancellationToken cancellationToken)
    {
        using var process = await spawner.StartAsync(probe);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw Refused("the sandbox probe did not finish within 30 s.");
        }

        if (process.ExitCode != 0)
        {
            throw Refused($"a test sandbox (unshare, setpriv, bwrap) failed with exit code {process.ExitCode}: {(await stderr).Trim()}");
        }
    }

    private static int? ReadSysctl(string path)
    {
        try
        {
            return int.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    private static InvalidOperationException Refused(string why) =>
        new($"The local Chromium pod provider cannot sandbox browsers on this machine: {why} {OptOut}");

    [GeneratedRegex("^[A-Za-z0-9/._-]+$")]
    private static partial Regex SafePath();
}
