using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace UFBrowsers.Pods.Tests;

public sealed class IsolationTests : IAsyncLifetime
{
    private readonly PodSandbox _sandbox = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
    private HttpListener? _site;
    private string _siteUrl = "";

    public Task InitializeAsync()
    {
        // A real origin, because about:blank has no cookies and no localStorage.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _siteUrl = $"http://127.0.0.1:{port}/";
        _site = new HttpListener();
        _site.Prefixes.Add(_siteUrl);
        _site.Start();
        _ = ServeAsync(_site);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _site?.Close();
        _http.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task Cookies_and_local_storage_of_one_pod_are_not_seen_by_the_next()
    {
        var provider = await _sandbox.StartedProvider();
        var first = await provider.CreateAsync("default", CancellationToken.None);

        await using (var page = await OpenPageAsync(first))
        {
            Assert.Equal("set", await page.EvaluateAsync(
                "document.cookie = 'tenant=alpha; max-age=3600'; localStorage.setItem('tenant', 'alpha'); 'set'"));
        }

        // Control: the same pod does keep them, so the assertion below can fail.
        await using (var again = await OpenPageAsync(first))
        {
            Assert.Equal("alpha|tenant=alpha", await again.EvaluateAsync("localStorage.getItem('tenant') + '|' + document.cookie"));
        }

        await provider.DeleteAsync(first, CancellationToken.None);
        var second = await provider.CreateAsync("default", CancellationToken.None);

        await using (var page = await OpenPageAsync(second))
        {
            Assert.Equal("null|", await page.EvaluateAsync("localStorage.getItem('tenant') + '|' + document.cookie"));
        }

        await using var browser = await CdpConnection.OpenAsync(second.CdpWebSocketUrl);
        var cookies = await browser.SendAsync("Storage.getCookies");
        Assert.Empty(cookies.GetProperty("cookies").EnumerateArray());
    }

    private async Task<CdpConnection> OpenPageAsync(PodLease pod)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{pod.CdpHttpUrl}/json/new?{_siteUrl}");
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var target = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var page = await CdpConnection.OpenAsync(target.RootElement.GetProperty("webSocketDebuggerUrl").GetString()!);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (await page.EvaluateAsync("location.href + ' ' + document.readyState") != _siteUrl + " complete")
        {
            Assert.True(DateTime.UtcNow < deadline, $"The page did not load {_siteUrl}");
            await Task.Delay(50);
        }

        return page;
    }

    private static async Task ServeAsync(HttpListener site)
    {
        var body = Encoding.UTF8.GetBytes("<!doctype html><title>site</title>");
        try
        {
            while (site.IsListening)
            {
                var context = await site.GetContextAsync();
                context.Response.ContentType = "text/html";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
        }
    }
}
