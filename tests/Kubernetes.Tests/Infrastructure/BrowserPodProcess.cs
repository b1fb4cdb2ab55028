using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Kubernetes.Tests.Infrastructure;

/// <summary>
/// The browser image's entrypoint run as a plain process, as the pod would run it: real Chromium (headless shell) with its
/// DevTools bridge and its file endpoint (files.sh under socat), over temporary profile, downloads and uploads directories.
/// What is not the image's: the paths (the image's /tmp and /profile), the user (this process's), a read-only root.
/// </summary>
public sealed class BrowserPodProcess : IAsyncDisposable
{
    private static readonly string DockerDirectory = Path.Combine(AppContext.BaseDirectory, "docker");

    private readonly Process _entrypoint;

    private BrowserPodProcess(Process entrypoint, string root, int cdpPort, int filesPort)
    {
        _entrypoint = entrypoint;
        Root = root;
        CdpPort = cdpPort;
        FilesPort = filesPort;
    }

    public string Root { get; }

    public string Downloads => Path.Combine(Root, "downloads");

    public string Uploads => Path.Combine(Root, "uploads");

    public int CdpPort { get; }

    public int FilesPort { get; }

    public string CdpHttpUrl => $"http://127.0.0.1:{CdpPort}";

    public static async Task<BrowserPodProcess> StartAsync()
    {
        var root = Directory.CreateTempSubdirectory("ufb-browser-pod-").FullName;
        var (cdpPort, internalPort, filesPort) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(DockerDirectory, "browser", "entrypoint.sh"));
        start.Environment["CDP_PORT"] = cdpPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["CDP_INTERNAL_PORT"] = internalPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["CDP_BIND"] = "127.0.0.1";
        start.Environment["FILES_PORT"] = filesPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["FILES_HANDLER"] = "bash " + Path.Combine(DockerDirectory, "browser", "files.sh");
        start.Environment["PROFILE_DIR"] = Path.Combine(root, "profile");
        start.Environment["DOWNLOADS_DIR"] = Path.Combine(root, "downloads");
        start.Environment["UPLOADS_DIR"] = Path.Combine(root, "uploads");
        start.Environment["HOME"] = root;
        var entrypoint = Process.Start(start)!;
        _ = entrypoint.StandardOutput.ReadToEndAsync();
        _ = entrypoint.StandardError.ReadToEndAsync();
        var pod = new BrowserPodProcess(entrypoint, root, cdpPort, filesPort);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.True(async () => await pod.BrowserPathAsync(http) is not null, TimeSpan.FromSeconds(60), "the browser pod's DevTools answers");
        return pod;
    }

    /// <summary>The browser target's path from <c>/json/version</c>, or null while it does not answer.</summary>
    public async Task<string?> BrowserPathAsync(HttpClient http)
    {
        try
        {
            var version = JsonNode.Parse(await http.GetStringAsync(CdpHttpUrl + "/json/version"));
            return new Uri(version!["webSocketDebuggerUrl"]!.GetValue<string>()).AbsolutePath;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_entrypoint.HasExited)
        {
            _entrypoint.Kill(entireProcessTree: true);
            await _entrypoint.WaitForExitAsync();
        }

        foreach (var leftover in Procs.Naming(Root))
        {
            try
            {
                using var process = Process.GetProcessById(leftover);
                process.Kill();
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
            }
        }

        _entrypoint.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
