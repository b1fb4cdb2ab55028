using System.Text.Json;
using UFBrowsers.Pods;

namespace UFBrowsers.TestSupport;

/// <summary>
/// A tab in a pod's browser, driven over the pod's own DevTools (not through the gateway): what a tenant's automation
/// can do with its browser, so that a test can act as a hostile tenant against the sandbox alone.
/// </summary>
public sealed class PodPage : IAsyncDisposable
{
    private readonly CdpConnection _browser;
    private readonly string _session;

    private PodPage(CdpConnection browser, string targetId, string session)
    {
        _browser = browser;
        TargetId = targetId;
        _session = session;
    }

    public string TargetId { get; }

    public CdpConnection Browser => _browser;

    public static async Task<PodPage> OpenAsync(PodLease pod)
    {
        var browser = await PodDevTools.BrowserAsync(pod);
        var target = (await browser.SendAsync("Target.createTarget", new { url = "about:blank" })).GetProperty("targetId").GetString()!;
        var session = (await browser.SendAsync("Target.attachToTarget", new { targetId = target, flatten = true })).GetProperty("sessionId").GetString()!;
        await browser.SendAsync("Page.enable", sessionId: session);
        return new PodPage(browser, target, session);
    }

    /// <summary>Navigates and waits for the page to load; returns Chromium's error (e.g. <c>net::ERR_FILE_NOT_FOUND</c>) or null when it loaded.</summary>
    public async Task<string?> NavigateAsync(string url)
    {
        var result = await _browser.SendAsync("Page.navigate", new { url }, _session);
        if (result.TryGetProperty("errorText", out var error) && error.GetString() is { Length: > 0 } text)
        {
            return text;
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (await EvaluateAsync("document.readyState") != "complete")
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{url} did not finish loading.");
            }

            await Task.Delay(50);
        }

        return null;
    }

    public async Task<string?> EvaluateAsync(string expression) => await _browser.EvaluateAsync(expression, _session);

    public Task<string?> TextAsync() => EvaluateAsync("document.body ? document.body.innerText : ''");

    /// <summary><c>fetch</c> from the page (no-cors: only whether a response came matters): <c>ok</c> or <c>failed</c>.</summary>
    public Task<string?> FetchAsync(string url) =>
        EvaluateAsync($"fetch({JsonSerializer.Serialize(url)}, {{ mode: 'no-cors' }}).then(() => 'ok', () => 'failed')");

    /// <summary>A WebSocket from the page: <c>open</c>, or <c>error</c> when it could not connect.</summary>
    public Task<string?> WebSocketAsync(string url) =>
        EvaluateAsync($$"""
            new Promise(resolve => {
              const socket = new WebSocket({{JsonSerializer.Serialize(url)}});
              socket.onopen = () => { resolve('open'); socket.close(); };
              socket.onerror = () => resolve('error');
              setTimeout(() => resolve('timeout'), 15000);
            })
            """);

    public Task<JsonElement> SendAsync(string method, object? parameters = null) => _browser.SendAsync(method, parameters, _session);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _browser.SendAsync("Target.closeTarget", new { targetId = TargetId });
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Net.WebSockets.WebSocketException or OperationCanceledException)
        {
            // The browser is gone already.
        }

        await _browser.DisposeAsync();
    }
}
