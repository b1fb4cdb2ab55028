using System.Text.Json;
using UFBrowsers.Pods;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Isolation.Tests;

/// <summary>
/// Another pod's DevTools, whether warm (not handed out yet) or assigned (a tenant's browser in use), is out of a page's
/// reach: its socket is not in the sandbox's file system, and no DevTools port exists on any loopback a page can reach,
/// not even its own browser's.
/// </summary>
[Collection(HostileTenantCollection.Name)]
public sealed class DevToolsFenceTests(HostileTenantFixture target)
{
    [Fact]
    public async Task A_page_cannot_open_a_warm_or_an_assigned_pods_devtools()
    {
        var attacker = await target.SandboxedPod();
        var warm = await target.SandboxedPod();
        var assigned = await target.SandboxedPod();
        await using var victimPage = await PodPage.OpenAsync(assigned);
        Assert.Null(await victimPage.NavigateAsync(target.Network.PublicUrl + "/"));

        // A planted file next to each victim's socket: file:// would show it if the pods directory were visible.
        foreach (var victim in new[] { warm, assigned })
        {
            await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(victim.DevToolsSocket!)!, "visible.txt"), "visible");
        }

        await using (var page = await PodPage.OpenAsync(attacker))
        {
            foreach (var victim in new[] { warm, assigned })
            {
                var folder = Path.GetDirectoryName(victim.DevToolsSocket!)!;
                Assert.Equal("net::ERR_FILE_NOT_FOUND", await page.NavigateAsync("file://" + Path.Combine(folder, "visible.txt")));
                Assert.Equal("net::ERR_FILE_NOT_FOUND", await page.NavigateAsync("file://" + victim.DevToolsSocket));
                Assert.Equal("net::ERR_FILE_NOT_FOUND", await page.NavigateAsync("file://" + folder + "/"));
            }

            // The DevTools port inside the pod's own namespace (its own browser's) is refused to the browser's user.
            foreach (var port in Enumerable.Range(9220, 6))
            {
                var error = await page.NavigateAsync($"http://127.0.0.1:{port}/json/version");
                Assert.True(error is "net::ERR_NETWORK_ACCESS_DENIED" or "net::ERR_CONNECTION_REFUSED", $"127.0.0.1:{port} gave {error ?? "a page"}");
            }

            Assert.Equal("error", await page.WebSocketAsync("ws://127.0.0.1:9222" + new Uri(assigned.CdpWebSocketUrl).AbsolutePath));
            Assert.Equal("error", await page.WebSocketAsync("ws://localhost:9222" + new Uri(warm.CdpWebSocketUrl).AbsolutePath));
        }

        // The victims are untouched: one page in the assigned browser, none but the blank one in the warm browser.
        await using (var warmBrowser = await PodDevTools.BrowserAsync(warm))
        {
            Assert.Equal(1, Pages(await warmBrowser.SendAsync("Target.getTargets")));
        }

        Assert.Equal(HostileTenantFixture.Reached, await victimPage.TextAsync());
        foreach (var pod in new[] { attacker, warm, assigned })
        {
            await target.Sandboxed.DeleteAsync(pod, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Control_without_the_sandbox_a_page_reads_and_drives_another_browsers_devtools()
    {
        var attacker = await target.ControlPod();
        var victim = await target.ControlPod();
        var port = new Uri(victim.CdpHttpUrl).Port;

        await using (var page = await PodPage.OpenAsync(attacker))
        {
            Assert.Null(await page.NavigateAsync($"http://127.0.0.1:{port}/json/version"));
            Assert.Contains(victim.CdpWebSocketUrl, await page.TextAsync());
            // From that origin, the victim's browser target accepts a WebSocket: full control of another tenant's browser.
            Assert.Equal("open", await page.WebSocketAsync(victim.CdpWebSocketUrl));
        }

        await target.Control.DeleteAsync(attacker, CancellationToken.None);
        await target.Control.DeleteAsync(victim, CancellationToken.None);
    }

    [Fact]
    public async Task The_devtools_socket_is_the_services_alone_and_no_pod_process_listens_on_this_machines_network()
    {
        var pod = await target.SandboxedPod();
        var socket = pod.DevToolsSocket!;

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket) & (UnixFileMode)0b111_111_111);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(socket)!));
        Assert.Equal("0 0", Stat(socket));
        Assert.Equal("0 0", Stat(Path.GetDirectoryName(socket)!));

        // Every listening TCP socket of the pod's processes is in a network namespace other than this machine's.
        var host = Procs.Namespace(Environment.ProcessId, "net");
        var marker = JsonDocument.Parse(File.ReadAllText(Path.Combine(target.SandboxedPods, pod.PodId, "pod.json")));
        var processes = Procs.Trees(marker.RootElement.GetProperty("processes").EnumerateArray()
            .Select(p => (p.GetProperty("pid").GetInt32(), p.GetProperty("startTicks").GetInt64())));
        var onHostNetwork = processes.Where(p => Procs.Namespace(p.Pid, "net") == host).Select(p => Procs.CommandLine(p.Pid)[0]).ToList();
        Assert.Equal(["slirp4netns"], onHostNetwork.Select(Path.GetFileName).Distinct());
        Assert.Empty(ListeningPorts(processes.Where(p => Procs.Namespace(p.Pid, "net") == host).Select(p => p.Pid)));

        await target.Sandboxed.DeleteAsync(pod, CancellationToken.None);
    }

    private static int Pages(JsonElement targets) =>
        targets.GetProperty("targetInfos").EnumerateArray().Count(t => t.GetProperty("type").GetString() == "page");

    private static string Stat(string path)
    {
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%u %g", path]) { RedirectStandardOutput = true })!;
        var output = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return output;
    }

    /// <summary>TCP ports the processes listen on (their socket inodes matched against /proc/net/tcp of this machine's namespace).</summary>
    private static List<int> ListeningPorts(IEnumerable<int> pids)
    {
        var inodes = new HashSet<string>();
        foreach (var pid in pids)
        {
            try
            {
                foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
                {
                    if (new FileInfo(fd).LinkTarget is { } link && link.StartsWith("socket:[", StringComparison.Ordinal))
                    {
                        inodes.Add(link["socket:[".Length..^1]);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }

        return File.ReadLines("/proc/net/tcp").Concat(File.ReadLines("/proc/net/tcp6")).Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields[3] == "0A" && inodes.Contains(fields[9]))
            .Select(fields => Convert.ToInt32(fields[1].Split(':')[1], 16))
            .ToList();
    }
}
