using System.Diagnostics;
using System.Globalization;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// The command lines of a sandboxed pod's three host-side processes: the launcher (a root-made network namespace in which
/// root applies <see cref="PodNetworkPolicy"/>, then drops to the sandbox's user and runs bubblewrap), slirp4netns (the
/// namespace's only way out) and the DevTools bridge (socat, from a Unix socket in the pod's directory to the namespace's
/// loopback).
/// </summary>
internal sealed class SandboxCommands(LocalChromiumOptions options)
{
    /// <summary>Where the commands are looked up; the silo's own PATH is not handed to them.</summary>
    public const string SystemPath = "/usr/sbin:/usr/bin:/sbin:/bin";

    // Runs as root inside the new network namespace. It turns IPv6 off there first (pods get none, and tap0's link-local
    // address finishing duplicate detection a second after start made Chromium see a network change and fail a navigation
    // with ERR_NETWORK_CHANGED), waits for "go" (sent once slirp4netns has configured tap0), reads the routing policy from
    // the rest of stdin, then becomes the sandbox. Exit codes 97/98 say which step failed.
    private const string LauncherScript =
        """
        for f in /proc/sys/net/ipv6/conf/all/disable_ipv6 /proc/sys/net/ipv6/conf/default/disable_ipv6; do
          [ -w "$f" ] && echo 1 > "$f"
        done
        read -r go || exit 97
        [ "$go" = go ] || exit 97
        ip -batch - || exit 98
        exec "$@" </dev/null
        """;

    // slirp4netns writes "1" to the ready fd once tap0 is configured; its own chatter goes to stderr.
    private const string SlirpScript = "exec slirp4netns --ready-fd=3 \"$@\" 3>&1 1>&2";

    // Passed on to the browser when the silo has them; nothing else of the silo's environment (keys, connection strings).
    private static readonly string[] InheritedEnvironment = ["LANG", "LANGUAGE", "LC_ALL", "TZ", "FONTCONFIG_PATH", "FONTCONFIG_FILE"];

    // System paths under which Debian's merged /usr keeps everything (/bin, /lib, /sbin are symlinks into /usr).
    private static readonly string[] SystemPrefixes = ["/usr/", "/bin/", "/sbin/", "/lib/", "/lib64/"];

    public ProcessStartInfo Launcher(PodDirectory pod, BrowserLaunch browser)
    {
        var executable = browser.Executable;
        var start = Start("unshare", "--net", "--", "/bin/sh", "-c", LauncherScript, "ufb-pod-launcher");
        start.RedirectStandardInput = true;
        Add(start, "setpriv", "--reuid", Id(options.SandboxUid), "--regid", Id(options.SandboxGid), "--clear-groups", "--");
        Add(start, Bubblewrap(pod, executable));
        Add(start, executable);
        Add(start, ChromiumCommandLine.Sandboxed(options, browser));
        return start;
    }

    public ProcessStartInfo UserModeNetwork(int launcherPid) =>
        Start(
            "setpriv", "--pdeathsig", "KILL", "--", "/bin/sh", "-c", SlirpScript, "ufb-pod-network",
            "--configure", "--mtu=" + options.Network.Mtu.ToString(CultureInfo.InvariantCulture), "--disable-host-loopback",
            "--enable-sandbox", "--enable-seccomp", Id(launcherPid), PodNetworkPolicy.TapDevice);

    public ProcessStartInfo DevToolsBridge(PodDirectory pod, int launcherPid) =>
        Start(
            "setpriv", "--pdeathsig", "KILL", "--", "nsenter", $"--net=/proc/{launcherPid}/ns/net", "--",
            "socat",
            $"UNIX-LISTEN:{pod.DevToolsSocket},fork,mode=600,unlink-early",
            $"TCP:127.0.0.1:{PodNetworkPolicy.DevToolsPort},nodelay");

    /// <summary>The smallest sandbox of the same kind: run at provider start to learn whether this machine can sandbox at all.</summary>
    public ProcessStartInfo Probe() =>
        Start(
            "unshare", "--net", "--", "setpriv", "--reuid", Id(options.SandboxUid), "--regid", Id(options.SandboxGid), "--clear-groups", "--",
            "bwrap", "--unshare-all", "--share-net", "--die-with-parent", "--new-session",
            "--uid", Id(options.SandboxUid), "--gid", Id(options.SandboxGid),
            "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
            "--", "/usr/bin/true");

    private IEnumerable<string> Bubblewrap(PodDirectory pod, string executable)
    {
        var limits = options.Limits;
        List<string> arguments =
        [
            "bwrap",
            "--unshare-all", "--share-net", "--die-with-parent", "--new-session",
            "--uid", Id(options.SandboxUid), "--gid", Id(options.SandboxGid), "--hostname", "ufb-pod",
            "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin",
            "--ro-bind-try", "/etc/fonts", "/etc/fonts",
            // The system's font cache: without it every pod's browser scans every font and writes a cache of its own.
            "--ro-bind-try", "/var/cache/fontconfig", "/var/cache/fontconfig",
            "--ro-bind-try", "/etc/ssl", "/etc/ssl",
            "--ro-bind-try", "/etc/ca-certificates", "/etc/ca-certificates",
            "--ro-bind-try", "/etc/chromium.d", "/etc/chromium.d",
            "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
            "--ro-bind-try", "/etc/localtime", "/etc/localtime",
            "--ro-bind", pod.ResolvConf, "/etc/resolv.conf",
            "--proc", "/proc",
            "--dev", "/dev",
            "--size", Bytes(limits.TmpMebibytes), "--tmpfs", "/tmp",
            "--size", Bytes(limits.ShmMebibytes), "--tmpfs", "/dev/shm",
            "--bind", pod.Profile, PodDirectory.SandboxProfile,
            "--bind", pod.Downloads, PodDirectory.SandboxDownloads,
            // Chromium's own default download directory ($HOME/Downloads) is the same folder, for clients that never set one.
            "--bind", pod.Downloads, "/tmp/Downloads",
            "--ro-bind", pod.Uploads, PodDirectory.SandboxUploads,
        ];

        if (!SystemPrefixes.Any(prefix => executable.StartsWith(prefix, StringComparison.Ordinal)))
        {
            // A browser installed elsewhere (e.g. /opt/...): its own directory, read-only.
            var directory = Path.GetDirectoryName(executable)!;
            arguments.AddRange(["--ro-bind", directory, directory]);
        }

        arguments.AddRange(["--chdir", "/tmp", "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp"]);
        foreach (var name in InheritedEnvironment)
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                arguments.AddRange(["--setenv", name, value]);
            }
        }

        arguments.Add("--");
        return arguments;
    }

    /// <summary>The full path of a system tool, looked up in <see cref="SystemPath"/>; null when it is not installed.</summary>
    public static string? Find(string tool) =>
        SystemPath.Split(':').Select(directory => Path.Combine(directory, tool)).FirstOrDefault(File.Exists);

    private static ProcessStartInfo Start(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(Find(tool) ?? tool)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        start.Environment.Clear();
        start.Environment["PATH"] = SystemPath;
        Add(start, arguments);
        return start;
    }

    private static void Add(ProcessStartInfo start, params IEnumerable<string> arguments)
    {
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static string Bytes(int mebibytes) => (mebibytes * 1024L * 1024L).ToString(CultureInfo.InvariantCulture);
}
