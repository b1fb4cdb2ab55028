using UFBrowsers.Silo.Browsers;

namespace UFBrowsers.Pods.Tests;

/// <summary>The control plane's own CDP connection, against a real sandboxed pod reached through its Unix socket.</summary>
public sealed class CdpClientTests : IAsyncLifetime
{
    private readonly PodSandbox _sandbox = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task Commands_are_answered_on_flattened_page_sessions_and_events_arrive()
    {
        var provider = await _sandbox.StartedProvider();
        var lease = await provider.CreateAsync("default", CancellationToken.None);
        await using var cdp = await CdpClient.ConnectAsync(lease, CancellationToken.None);
        var attached = new TaskCompletionSource<CdpEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        cdp.EventReceived += e =>
        {
            if (e.Method == "Target.attachedToTarget")
            {
                attached.TrySetResult(e);
            }
        };

        var targetId = (await cdp.SendAsync("Target.createTarget", new { url = "about:blank" })).GetProperty("targetId").GetString();
        var session = (await cdp.SendAsync("Target.attachToTarget", new { targetId, flatten = true })).GetProperty("sessionId").GetString();
        var evaluated = await cdp.SendAsync("Runtime.evaluate", new { expression = "6 * 7", returnByValue = true }, session);

        Assert.Equal(42, evaluated.GetProperty("result").GetProperty("value").GetInt32());
        var attachedEvent = await attached.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(session, attachedEvent.Params.GetProperty("sessionId").GetString());
    }

    [Fact]
    public async Task A_CDP_error_is_thrown_with_its_code_and_the_connection_stays_usable()
    {
        var provider = await _sandbox.StartedProvider();
        var lease = await provider.CreateAsync("default", CancellationToken.None);
        await using var cdp = await CdpClient.ConnectAsync(lease, CancellationToken.None);

        var error = await Assert.ThrowsAsync<CdpException>(() => cdp.SendAsync("No.suchMethod"));

        Assert.Equal(-32601, error.Code);
        Assert.Contains("Chrome", (await cdp.SendAsync("Browser.getVersion")).GetProperty("product").GetString());
    }

    [Fact]
    public async Task Pending_commands_fail_when_the_browser_goes()
    {
        var provider = await _sandbox.StartedProvider();
        var lease = await provider.CreateAsync("default", CancellationToken.None);
        await using var cdp = await CdpClient.ConnectAsync(lease, CancellationToken.None);
        var targetId = (await cdp.SendAsync("Target.createTarget", new { url = "about:blank" })).GetProperty("targetId").GetString();
        var session = (await cdp.SendAsync("Target.attachToTarget", new { targetId, flatten = true })).GetProperty("sessionId").GetString();
        // Never answered: the page waits far longer than the browser lives.
        var pending = cdp.SendAsync("Runtime.evaluate", new { expression = "new Promise(() => {})", awaitPromise = true }, session);

        await provider.DeleteAsync(lease, CancellationToken.None);

        var error = await Assert.ThrowsAsync<CdpException>(() => pending.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Null(error.Code);
        await cdp.Closed.WaitAsync(TimeSpan.FromSeconds(20));
    }
}
