using System.Text.Json;

namespace UFBrowsers.Pods.Tests;

public sealed class LocalChromiumPodProviderTests : IAsyncLifetime
{
    private readonly PodSandbox _sandbox = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task Create_returns_a_lease_whose_devtools_endpoint_answers()
    {
        var provider = await _sandbox.StartedProvider();

        var lease = await provider.CreateAsync("pool-a", CancellationToken.None);

        Assert.Equal("pool-a", lease.NodePool);
        Assert.False(string.IsNullOrWhiteSpace(lease.PodId));
        var http = new Uri(lease.CdpHttpUrl);
        Assert.Equal("http", http.Scheme);
        Assert.Equal("127.0.0.1", http.Host);
        Assert.Matches(@"^ws://127\.0\.0\.1:\d+/devtools/browser/[0-9a-f-]+$", lease.CdpWebSocketUrl);
        Assert.Equal(http.Port, new Uri(lease.CdpWebSocketUrl).Port);

        using var version = JsonDocument.Parse(await _http.GetStringAsync(lease.CdpHttpUrl + "/json/version"));
        Assert.Equal(lease.CdpWebSocketUrl, version.RootElement.GetProperty("webSocketDebuggerUrl").GetString());
        Assert.Contains("Chrome", version.RootElement.GetProperty("Browser").GetString());

        Assert.True(PodSandbox.IsChromiumOfProfile(_sandbox.Pid(lease), _sandbox.ProfileDirectory(lease)));
    }

    [Fact]
    public async Task Two_pods_have_their_own_port_process_and_profile()
    {
        var provider = await _sandbox.StartedProvider();

        var first = await provider.CreateAsync("default", CancellationToken.None);
        var second = await provider.CreateAsync("default", CancellationToken.None);

        Assert.NotEqual(first.PodId, second.PodId);
        Assert.NotEqual(new Uri(first.CdpHttpUrl).Port, new Uri(second.CdpHttpUrl).Port);
        Assert.NotEqual(_sandbox.Pid(first), _sandbox.Pid(second));
        Assert.NotEqual(_sandbox.ProfileDirectory(first), _sandbox.ProfileDirectory(second));
        Assert.True(Directory.Exists(_sandbox.ProfileDirectory(first)));
        Assert.True(Directory.Exists(_sandbox.ProfileDirectory(second)));
        Assert.True(PodSandbox.IsChromiumOfProfile(_sandbox.Pid(first), _sandbox.ProfileDirectory(first)));
        Assert.True(PodSandbox.IsChromiumOfProfile(_sandbox.Pid(second), _sandbox.ProfileDirectory(second)));
    }

    [Fact]
    public async Task Delete_kills_the_browser_and_removes_its_profile_and_a_second_delete_is_fine()
    {
        var provider = await _sandbox.StartedProvider();
        var lease = await provider.CreateAsync("default", CancellationToken.None);
        var pid = _sandbox.Pid(lease);
        var profile = _sandbox.ProfileDirectory(lease);
        Assert.True(_sandbox.HasRunningProcess(lease));

        await provider.DeleteAsync(lease, CancellationToken.None);

        Assert.False(PodSandbox.IsChromiumOfProfile(pid, profile));
        Assert.Empty(PodSandbox.ProcessesUsing(profile));
        Assert.False(Directory.Exists(_sandbox.PodDirectory(lease)));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => _http.GetStringAsync(lease.CdpHttpUrl + "/json/version"));

        await provider.DeleteAsync(lease, CancellationToken.None);
        Assert.False(Directory.Exists(_sandbox.PodDirectory(lease)));
        Assert.Empty(_sandbox.Reporter.Reported);
    }

    [Fact]
    public async Task A_browser_killed_from_outside_is_reported_lost_exactly_once_and_a_deleted_one_never()
    {
        var provider = await _sandbox.StartedProvider();
        var victim = await provider.CreateAsync("pool-b", CancellationToken.None);
        var deleted = await provider.CreateAsync("pool-b", CancellationToken.None);

        await provider.DeleteAsync(deleted, CancellationToken.None);
        PodSandbox.KillFromOutside(_sandbox.Pid(victim));

        await PodSandbox.Eventually(() => _sandbox.Reporter.Reported.Count > 0, "the killed pod is reported");
        await PodSandbox.Eventually(() => !Directory.Exists(_sandbox.PodDirectory(victim)), "the lost pod's directory is removed");
        await Task.Delay(500);
        Assert.Equal([victim], _sandbox.Reporter.Reported);
        Assert.Empty(PodSandbox.ProcessesUsing(_sandbox.ProfileDirectory(victim)));

        // The pool deletes the pod after the report; that must neither fail nor report again.
        await provider.DeleteAsync(victim, CancellationToken.None);
        await provider.StopAsync(CancellationToken.None);
        Assert.Single(_sandbox.Reporter.Reported);
    }

    [Fact]
    public async Task Stop_kills_every_browser_and_deletes_every_profile()
    {
        var provider = await _sandbox.StartedProvider();
        var leases = new[]
        {
            await provider.CreateAsync("default", CancellationToken.None),
            await provider.CreateAsync("default", CancellationToken.None),
        };
        var pids = leases.Select(_sandbox.Pid).ToArray();

        await provider.StopAsync(CancellationToken.None);

        for (var i = 0; i < leases.Length; i++)
        {
            Assert.False(PodSandbox.IsChromiumOfProfile(pids[i], _sandbox.ProfileDirectory(leases[i])));
            Assert.False(Directory.Exists(_sandbox.PodDirectory(leases[i])));
        }

        Assert.Empty(PodSandbox.ProcessesUsing(_sandbox.PodsDirectory));
        Assert.Empty(Directory.GetDirectories(_sandbox.PodsDirectory));
        Assert.Empty(_sandbox.Reporter.Reported);
        await Assert.ThrowsAsync<InvalidOperationException>(() => provider.CreateAsync("default", CancellationToken.None));
    }

    [Fact]
    public async Task Start_kills_and_removes_the_pods_a_lost_provider_left_behind()
    {
        var lost = await _sandbox.StartedProvider();
        var stale = await lost.CreateAsync("default", CancellationToken.None);
        var stalePid = _sandbox.Pid(stale);
        var staleProfile = _sandbox.ProfileDirectory(stale);
        var unrelated = Path.Combine(_sandbox.PodsDirectory, "chromium-not-a-running-pod");
        Directory.CreateDirectory(unrelated);

        var next = await _sandbox.StartedProvider();

        Assert.False(PodSandbox.IsChromiumOfProfile(stalePid, staleProfile));
        Assert.Empty(PodSandbox.ProcessesUsing(staleProfile));
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
        Assert.Empty(_sandbox.Reporter.Reported);
    }

    [Fact]
    public async Task Create_times_out_kills_the_process_and_cleans_up_when_devtools_never_answers()
    {
        var silent = Path.Combine(Path.GetTempPath(), $"ufbrowsers-silent-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(silent, "#!/bin/sh\nsleep 60\n");
        File.SetUnixFileMode(silent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var provider = await _sandbox.StartedProvider(o =>
            {
                o.ExecutablePath = silent;
                o.StartTimeout = TimeSpan.FromSeconds(1);
            });

            var error = await Assert.ThrowsAsync<TimeoutException>(() => provider.CreateAsync("default", CancellationToken.None));

            Assert.Contains("did not answer on DevTools", error.Message);
            Assert.Empty(PodSandbox.ProcessesUsing(_sandbox.PodsDirectory));
            Assert.Empty(Directory.GetDirectories(_sandbox.PodsDirectory));
            Assert.Empty(_sandbox.Reporter.Reported);
        }
        finally
        {
            File.Delete(silent);
        }
    }

    [Fact]
    public async Task Concurrent_creates_all_succeed_with_distinct_browsers()
    {
        var provider = await _sandbox.StartedProvider();

        var leases = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => provider.CreateAsync("default", CancellationToken.None)));

        Assert.Equal(4, leases.Select(l => l.PodId).Distinct().Count());
        Assert.Equal(4, leases.Select(l => new Uri(l.CdpHttpUrl).Port).Distinct().Count());
        Assert.Equal(4, leases.Select(_sandbox.Pid).Distinct().Count());
        foreach (var lease in leases)
        {
            using var version = JsonDocument.Parse(await _http.GetStringAsync(lease.CdpHttpUrl + "/json/version"));
            Assert.Equal(lease.CdpWebSocketUrl, version.RootElement.GetProperty("webSocketDebuggerUrl").GetString());
        }

        await Task.WhenAll(leases.Select(l => provider.DeleteAsync(l, CancellationToken.None)));
        Assert.Empty(Directory.GetDirectories(_sandbox.PodsDirectory));
    }
}
