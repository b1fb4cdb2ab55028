using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// The layout of one pod's directory under <see cref="LocalChromiumOptions.PodsDirectory"/>, and its creation with the
/// permissions that fence it: only the service's user reaches the DevTools socket; the sandbox's user owns only its profile
/// and downloads.
/// </summary>
/// <remarks>
/// <code>
/// &lt;pod&gt;/              root:&lt;sandbox gid&gt; 0710 (the sandbox's user may only pass through, to bind its own folders)
///   pod.json           0600 the marker (<see cref="LocalChromiumPodMarker"/>)
///   devtools/          0700, devtools/cdp.sock 0600: the only way to the browser's DevTools
///   profile/           &lt;sandbox uid&gt; 0700, Chromium's user-data-dir, /profile in the sandbox
///   downloads/         &lt;sandbox uid&gt; 0700, /downloads in the sandbox
///   uploads/           root:&lt;sandbox gid&gt; 0750, /uploads in the sandbox, read-only there: files clients upload (<see cref="LocalChromiumPodFiles"/>)
///   resolv.conf        0644, /etc/resolv.conf in the sandbox (the user-mode network's DNS forwarder)
///   home/              only without the sandbox: HOME of an unsandboxed browser (its TMPDIR is /tmp/ufb-tmp-&lt;pod&gt;)
/// </code>
/// </remarks>
internal sealed partial class PodDirectory(string path)
{
    public const string SandboxDownloads = "/downloads";
    public const string SandboxProfile = "/profile";
    public const string SandboxUploads = "/uploads";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public string Path { get; } = path;

    public string Profile => Combine("profile");

    public string Downloads => Combine("downloads");

    public string Uploads => Combine("uploads");

    public string DevTools => Combine("devtools");

    public string DevToolsSocket => Combine("devtools", "cdp.sock");

    public string ResolvConf => Combine("resolv.conf");

    public string Home => Combine("home");

    /// <summary>
    /// TMPDIR of an unsandboxed browser: outside the pod's directory because Chromium's singleton socket goes under it and a
    /// Unix socket path must be short; named after the pod, and deleted with it.
    /// </summary>
    public string Tmp => UnsandboxedTmp(System.IO.Path.GetFileName(Path));

    public static string UnsandboxedTmp(string podId) => System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ufb-tmp-" + podId);

    public void CreateForSandbox(int uid, int gid, string resolvConf)
    {
        Directory.CreateDirectory(Path);
        ChangeOwner(Path, 0, gid);
        UnixFiles.SetMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute);
        CreatePrivate(DevTools);
        foreach (var owned in new[] { Profile, Downloads })
        {
            CreatePrivate(owned);
            ChangeOwner(owned, uid, gid);
        }

        CreateReadableByGroup(Uploads, gid);
        File.WriteAllText(ResolvConf, resolvConf);
        UnixFiles.SetMode(ResolvConf, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    public void CreateUnsandboxed()
    {
        CreatePrivate(Path);
        foreach (var directory in new[] { Profile, Downloads, Uploads, Home, Tmp })
        {
            CreatePrivate(directory);
        }

        // Chromium's own default download directory ($HOME/Downloads) is the lease's downloads directory too.
        Directory.CreateSymbolicLink(System.IO.Path.Combine(Home, "Downloads"), Downloads);
    }

    /// <summary>Deletes a pod directory (only one directly under <paramref name="podsRoot"/>), retrying while a dying browser still writes.</summary>
    public static async Task DeleteAsync(string podsRoot, string directory, ILogger logger)
    {
        if (!string.Equals(System.IO.Path.GetDirectoryName(directory), podsRoot, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Refusing to delete '{directory}': it is not a pod directory under '{podsRoot}'.");
        }

        var tmp = UnsandboxedTmp(System.IO.Path.GetFileName(directory));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                foreach (var path in new[] { directory, tmp })
                {
                    if (Directory.Exists(path))
                    {
                        Directory.Delete(path, recursive: true);
                    }
                }

                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                if (attempt == 10)
                {
                    logger.LogWarning(ex, "Could not delete pod directory {Directory}", directory);
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    private static void CreatePrivate(string directory)
    {
        Directory.CreateDirectory(directory);
        UnixFiles.SetMode(directory, OwnerOnly);
    }

    /// <summary>A directory of root's that the sandbox's group may read but not change (uploads, and each upload's own folder).</summary>
    public static void CreateReadableByGroup(string directory, int gid)
    {
        Directory.CreateDirectory(directory);
        ChangeOwner(directory, 0, gid);
        UnixFiles.SetMode(directory, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
    }

    public static void ChangeOwner(string target, int uid, int gid)
    {
        if (Chown(target, uid, gid) != 0)
        {
            throw new IOException($"Could not give '{target}' to {uid}:{gid} (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    private string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Chown(string path, int owner, int group);
}
