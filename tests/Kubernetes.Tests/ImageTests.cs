using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using UFBrowsers.Kubernetes.Tests.Infrastructure;
using UFBrowsers.TestSupport;
using Eventually = UFBrowsers.Kubernetes.Tests.Infrastructure.Eventually;

namespace UFBrowsers.Kubernetes.Tests;

/// <summary>
/// There is no Docker engine here, so each image is proven as far as this machine allows: the control plane's build stage
/// is replayed (its COPY and RUN steps, the same <c>dotnet publish</c>) and the published output is started; the browser
/// image's entrypoint runs as a plain process against Debian's Chromium, as it would in the pod. Not proven: the base
/// images, the apt install inside the image, the image's user and a read-only root filesystem.
/// </summary>
public sealed class ImageTests
{
    private static readonly string Repository = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));
    private static readonly string DockerDirectory = Path.Combine(AppContext.BaseDirectory, "docker");

    [Fact]
    public async Task The_control_plane_build_stage_publishes_an_app_that_starts_and_answers_its_probes()
    {
        var dockerfile = Dockerfile.Load(Path.Combine(DockerDirectory, "control-plane.Dockerfile"));
        var runtime = dockerfile.Stage();
        Assert.Contains(runtime, i => i.Keyword == "COPY" && i.Arguments == "--from=build /app ./");
        Assert.Equal("$APP_UID", runtime.Single(i => i.Keyword == "USER").Arguments);
        var entrypoint = JsonNode.Parse(runtime.Single(i => i.Keyword == "ENTRYPOINT").Arguments)!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Equal("dotnet", entrypoint[0]);

        var root = Directory.CreateTempSubdirectory("ufb-image-").FullName;
        try
        {
            Dockerfile.Replay(dockerfile.Stage("build"), Repository, root, IgnoredDirectories());
            var app = Dockerfile.Rooted(root, "/app");
            Assert.True(File.Exists(Path.Combine(app, entrypoint[1])), $"the publish output has no {entrypoint[1]}");

            using var process = StartPublishedApp(app, entrypoint[1], out var port);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            await Eventually.True(async () => await StatusOf(http, "/health/live") == HttpStatusCode.OK, TimeSpan.FromSeconds(90), "the published app answers /health/live");
            await Eventually.True(async () => await StatusOf(http, "/health/ready") == HttpStatusCode.OK, TimeSpan.FromSeconds(90), "the published app becomes ready");
            process.Kill(entireProcessTree: true);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task The_browser_entrypoint_bridges_devtools_from_loopback_to_the_pod_port_and_ends_with_its_browser()
    {
        var dockerfile = Dockerfile.Load(Path.Combine(DockerDirectory, "browser.Dockerfile"));
        Assert.Equal("10001:10001", dockerfile.Stage().Single(i => i.Keyword == "USER").Arguments);
        Assert.Contains("/usr/local/bin/ufb-browser", dockerfile.Stage().Single(i => i.Keyword == "ENTRYPOINT").Arguments, StringComparison.Ordinal);

        var profile = Directory.CreateTempSubdirectory("ufb-browser-").FullName;
        var (port, internalPort) = (FreePort.Next(), FreePort.Next());
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(DockerDirectory, "browser", "entrypoint.sh"));
        start.Environment["CDP_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["CDP_INTERNAL_PORT"] = internalPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PROFILE_DIR"] = profile;
        start.Environment["HOME"] = profile;
        using var entrypoint = Process.Start(start)!;
        _ = entrypoint.StandardOutput.ReadToEndAsync();
        _ = entrypoint.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            JsonNode? version = null;
            await Eventually.True(async () => (version = await VersionThroughBridge(http, port)) is not null, TimeSpan.FromSeconds(60), "DevTools answers on the bridged port");

            // The gateway dials the pod's IP: DevTools names that host in the WebSocket URL it hands out.
            Assert.StartsWith("HeadlessChrome/", version!["Browser"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Matches($"^ws://10\\.1\\.2\\.3:{port}/devtools/browser/[0-9a-f-]+$", version["webSocketDebuggerUrl"]!.GetValue<string>());

            // The browser dies: the entrypoint ends, and the pod with it.
            var browser = Process.GetProcesses().Single(p => CommandLine(p).Contains($"--remote-debugging-port={internalPort}", StringComparison.Ordinal)
                                                             && !CommandLine(p).Contains("--type=", StringComparison.Ordinal));
            browser.Kill();
            Assert.True(entrypoint.WaitForExit(TimeSpan.FromSeconds(30)), "the entrypoint ends when its browser does");
            await Eventually.True(() => Task.FromResult(!Process.GetProcesses().Any(p => CommandLine(p).Contains($"TCP-LISTEN:{port}", StringComparison.Ordinal))),
                TimeSpan.FromSeconds(10), "the bridge is gone too");
        }
        finally
        {
            if (!entrypoint.HasExited)
            {
                entrypoint.Kill(entireProcessTree: true);
            }

            foreach (var leftover in Process.GetProcesses().Where(p => CommandLine(p).Contains(profile, StringComparison.Ordinal)))
            {
                leftover.Kill();
            }

            Directory.Delete(profile, recursive: true);
        }
    }

    private static async Task<JsonNode?> VersionThroughBridge(HttpClient http, int port)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/json/version");
            request.Headers.Host = $"10.1.2.3:{port}";
            using var response = await http.SendAsync(request);
            return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static Process StartPublishedApp(string app, string dll, out int port)
    {
        port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = app, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(app, dll));
        start.Environment["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["UFBrowsers__Silo__Storage"] = "Memory";
        start.Environment["UFBrowsers__Silo__SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["UFBrowsers__Silo__GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["UFBrowsers__Pods__NodePools__default__WarmTarget"] = "0";
        start.Environment["UFBrowsers__Operator__Token"] = "image-test-operator-token-0123456789";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    private static async Task<HttpStatusCode?> StatusOf(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(path);
            return response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static string[] IgnoredDirectories() =>
        File.ReadAllLines(Path.Combine(Repository, ".dockerignore"))
            .Where(l => l.StartsWith("**/", StringComparison.Ordinal))
            .Select(l => l[3..].Trim())
            .ToArray();

    private static string CommandLine(Process process)
    {
        try
        {
            return File.ReadAllText($"/proc/{process.Id}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
