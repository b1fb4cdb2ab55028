using System.Text.Json;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Pods.Tests;

public sealed class LocalChromiumPodProviderTests : IAsyncLifetime
{
    private readonly PodSandbox _sandbox = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task Create_returns_a_lease_whose_devtools_answers_through_the_pods_unix_socket()
    {
        var provider = await _sandbox.StartedProvider();

        var lease = await provider.CreateAsync("pool-a", CancellationToken.None);

        Assert.Equal("pool-a", lease.NodePool);
        Assert.False(string.IsNullOrWhiteSpace(lease.PodId));
        Assert.Equal(Path.Combine(_sandbox.PodDirectory(lease), "devtools", "cdp.sock"), lease.DevToolsSocket);
        Assert.Equal("http://localhost", lease.CdpHttpUrl);
        Assert.Matches(@"^ws://localhost/devtools/browser/[0-9a-f-]+$", lease.CdpWebSocketUrl);
        Assert.Equal("/downloads", lease.DownloadsDirectory);

        using var http = PodDevTools.Http(lease);
        using var version = JsonDocument.Parse(await http.GetStringAsync("/json/version"));
        Assert.Equal(lease.CdpWebSocketUrl, version.RootElement.GetProperty("webSocketDebuggerUrl").GetString());
        Assert.Contains("Chrome", version.RootElement.GetProperty("Browser").GetString());

        await using var browser = await PodDevTools.BrowserAsync(lease);
        Assert.Contains("Chrome", (await browser.SendAsync("Browser.getVersion")).GetProperty("product").GetString());
    }

    [Fact]
    public async Task Two_pods_have_their_own_socket_processes_profile_and_network()
    {
        var provider = await _sandbox.StartedProvider();

        var first = await provider.CreateAsync("default", CancellationToken.None);
        var second = await provider.CreateAsync("default", CancellationToken.None);

        Assert.NotEqual(first.PodId, second.PodId);
        Assert.NotEqual(first.DevToolsSocket, second.DevToolsSocket);
        Assert.Empty(_sandbox.Processes(first).Select(p => p.Pid).Intersect(_sandbox.Processes(second).Select(p => p.Pid)));
        Assert.NotEqual(Procs.Namespace(_sandbox.ChromiumPid(first), "net"), Procs.Namespace(_sandbox.ChromiumPid(second), "net"));
        Assert.True(Directory.Exists(_sandbox.ProfileDirectory(first)));
        Assert.True(Directory.Exists(_sandbox.ProfileDirectory(second)));
        Assert.True(await PodDevTools.AcceptsConnectionsAsync(first));
        Assert.True(await PodDevTools.AcceptsConnectionsAsync(second));
    }

    [Fact]
    public async Task An_unsandboxed_browser_runs_in_a_session_and_scheduling_group_of_its_own_as_a_sandboxed_one_does()
    {
        var provider = await _sandbox.StartedProvider(o => o.Sandbox = false);

        var pod = await provider.CreateAsync("default", CancellationToken.None);

        var chromium = _sandbox.ChromiumPid(pod);
        Assert.Equal(chromium, Session(chromium));
        Assert.NotEqual(Session(Environment.ProcessId), Session(chromium));
        Assert.NotEqual(Procs.ReadFile($"/proc/{Environment.ProcessId}/autogroup"), Procs.ReadFile($"/proc/{chromium}/autogroup"));
        Assert.True(await PodDevTools.AcceptsConnectionsAsync(pod));
    }

    [Fact]
    public async Task Delete_kills_every_process_of_the_pod_and_removes_its_directory_and_a_second_delete_is_fine()
    {
        var provider = await _sandbox.StartedProvider();
        var lease = await provider.CreateAsync("default", CancellationToken.None);
        var processes = _sandbox.Processes(lease);
        Assert.True(processes.Count >= 5, $"a sandboxed pod runs several processes, found {processes.Count}");

        await provider.DeleteAsync(lease, CancellationToken.None);

        Assert.Empty(Procs.StillAlive(processes));
        Assert.Empty(Procs.Naming(_sandbox.PodDirectory(lease)));
        Assert.False(Directory.Exists(_sandbox.PodDirectory(lease)));
        Assert.False(await PodDevTools.AcceptsConnectionsAsync(lease));

        await provider.DeleteAsync(lease, CancellationToken.None);
        Assert.False(Directory.Exists(_sandbox.PodDirectory(lease)));
        Assert.Empty(_sandbox.Reporter.Reported);
    }

    [Theory]
    [InlineData("chromium")]
    [InlineData("slirp4netns")]
    [InlineData("socat")]
    public async Task A_pod_whose_browser_network_or_bridge_is_killed_from_outside_is_reported_lost_once_and_a_deleted_one_never(string victimProcess)
    {
        var provider = await _sandbox.StartedProvider();
        var victim = await provider.CreateAsync("pool-b", CancellationToken.None);
        var deleted = await provider.CreateAsync("pool-b", CancellationToken.None);
        var processes = _sandbox.Processes(victim);

        await provider.DeleteAsync(deleted, CancellationToken.None);
        var pid = victimProcess == "chromium"
            ? _sandbox.ChromiumPid(victim)
            : processes.Single(p => Procs.CommandLine(p.Pid).Any(a => a.EndsWith(victimProcess, StringComparison.Ordinal)) && Procs.CommandLine(p.Pid)[0].EndsWith(victimProcess, StringComparison.Ordinal)).Pid;
        PodSandbox.KillFromOutside(pid);

        await PodSandbox.Eventually(() => _sandbox.Reporter.Reported.Count > 0, "the killed pod is reported");
        await PodSandbox.Eventually(() => !Directory.Exists(_sandbox.PodDirectory(victim)), "the lost pod's directory is removed");
        await Task.Delay(500);
        Assert.Equal([victim], _sandbox.Reporter.Reported);
        Assert.Empty(Procs.StillAlive(processes));

        // The pool deletes the pod after the report; that must neither fail nor report again.
        await provider.DeleteAsync(victim, CancellationToken.None);
        await provider.StopAsync(CancellationToken.None);
        Assert.Single(_sandbox.Reporter.Reported);
    }

    [Fact]
    public async Task Stop_kills_every_browser_and_deletes_every_pod_directory()
    {
        var provider = await _sandbox.StartedProvider();
        var leases = new[]
        {
            await provider.CreateAsync("default", CancellationToken.None),
            await provider.CreateAsync("default", CancellationToken.None),
        };
        var processes = leases.SelectMany(_sandbox.Processes).ToList();

        await provider.StopAsync(CancellationToken.None);

        Assert.Empty(Procs.StillAlive(processes));
        Assert.Empty(Procs.Naming(_sandbox.PodsDirectory));
        Assert.Empty(Directory.GetDirectories(_sandbox.PodsDirectory));
        Assert.Empty(_sandbox.Reporter.Reported);
        await Assert.ThrowsAsync<InvalidOperationException>(() => provider.CreateAsync("default", CancellationToken.None));
    }

    [Fact]
    public async Task Start_kills_and_removes_the_pods_a_lost_provider_left_behind()
    {
        var lost = await _sandbox.StartedProvider();
        var stale = await lost.CreateAsync("default", CancellationToken.None);
        var staleProcesses = _sandbox.Processes(stale);
        var unrelated = Path.Combine(_sandbox.PodsDirectory, "chromium-not-a-running-pod");
        Directory.CreateDirectory(unrelated);

        var log = new ListLogger<Silo.Pods.LocalChromium.LocalChromiumPodProvider>();
        var next = await _sandbox.StartedProvider(logger: log);

        Assert.True(Procs.StillAlive(staleProcesses).Count == 0, string.Join("\n", Procs.StillAlive(staleProcesses).Select(p => $"{p.Pid} (parent {p.ParentPid}): {string.Join(' ', Procs.CommandLine(p.Pid))}")) + "\n" + log);
        Assert.Empty(Procs.Naming(_sandbox.PodDirectory(stale)));
        Assert.False(Directory.Exists(_sandbox.PodDirectory(stale)));
        Assert.False(Directory.Exists(unrelated));

        var fresh = await next.CreateAsync("default", CancellationToken.None);
        Assert.True(_sandbox.HasRunningProcess(fresh));
    }

    [Fact]
    public async Task Create_fails_clearly_when_the_executable_does_not_exist()
    {
        var missing = Path.Combine(_sandbox.PodsDirectory, "no-such-chromium");
        var provider = await _sandbox.StartedProvider(o => o.ExecutablePath = missing);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => provider.CreateAsync("default", CancellationToken.None));

        Assert.Contains(missing, error.Message);
        Assert.Contains("ExecutablePath", error.Message);
        Assert.Empty(Directory.GetDirectories(_sandbox.PodsDirectory));
    }

    [Fact]
    public async Task Create_fails_and_cleans_up_when_the_browser_exits_at_once()
    {
        var provider = await _sandbox.StartedProvider(o => o.ExecutablePath = "/bin/false");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => provider.CreateAsync("default", CancellationToken.None));

        Assert.Contains("exited with code 1", error.Message);
        Assert.Empty(Directory.GetDirectories(_sandbox.PodsDirectory));
        Assert.Empty(Procs.Naming(_sandbox.PodsDirectory));
        Assert.Empty(_sandbox.Reporter.Reported);
    }

    [Fact]
    public async Task Create_times_out_kills_the_process_and_cleans_up_when_devtools_never_answers()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"ufbrowsers-silent-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var silent = Path.Combine(directory, "silent.sh");
        await File.WriteAllTextAsync(silent, "#!/bin/sh\nsleep 60\n");
        File.SetUnixFileMode(silent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        try
        {
            var provider = await _sandbox.StartedProvider(o =>
            {
                o.ExecutablePath = silent;
                o.StartTimeout = TimeSpan.FromSeconds(2);
            });

            var error = await Assert.ThrowsAsync<TimeoutException>(() => provider.CreateAsync("default", CancellationToken.None));

            Assert.Contains("did not answer on DevTools", error.Message);
            Assert.Empty(Procs.Naming(_sandbox.PodsDirectory));
            Assert.Empty(Procs.Naming("sleep 60"));
            Assert.Empty(Directory.GetDirectories(_sandbox.PodsDirectory));
            Assert.Empty(_sandbox.Reporter.Reported);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Concurrent_creates_all_succeed_with_distinct_browsers()
    {
        var provider = await _sandbox.StartedProvider();

        var leases = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => provider.CreateAsync("default", CancellationToken.None)));

        Assert.Equal(4, leases.Select(l => l.PodId).Distinct().Count());
        Assert.Equal(4, leases.Select(l => l.DevToolsSocket).Distinct().Count());
        Assert.Equal(4, leases.Select(_sandbox.ChromiumPid).Distinct().Count());
        foreach (var lease in leases)
        {
            using var http = PodDevTools.Http(lease);
            using var version = JsonDocument.Parse(await http.GetStringAsync("/json/version"));
            Assert.Equal(lease.CdpWebSocketUrl, version.RootElement.GetProperty("webSocketDebuggerUrl").GetString());
        }

        await Task.WhenAll(leases.Select(l => provider.DeleteAsync(l, CancellationToken.None)));
        Assert.Empty(Directory.GetDirectories(_sandbox.PodsDirectory));
    }

    /// <summary>The session id of a process (field 6 of <c>/proc/&lt;pid&gt;/stat</c>).</summary>
    private static int Session(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[3], System.Globalization.CultureInfo.InvariantCulture);
    }
}
