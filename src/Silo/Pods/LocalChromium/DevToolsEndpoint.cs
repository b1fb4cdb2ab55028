using System.Net.Sockets;
using System.Text.Json;
using UFBrowsers.Pods;
using UFBrowsers.Silo.Browsers;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// Where a pod's DevTools is reached from the silo: a Unix socket in the pod's directory (sandboxed; the URLs' host is then
/// only a name, <c>localhost</c>, which Chromium's Host-header check accepts) or a port on 127.0.0.1 (unsandboxed).
/// </summary>
internal sealed record DevToolsEndpoint(string? Socket, int? Port)
{
    public string HttpUrl => Socket is not null ? "http://localhost" : $"http://127.0.0.1:{Port}";

    public static DevToolsEndpoint ForSocket(string path) => new(path, null);

    public static DevToolsEndpoint ForPort(int port) => new(null, port);

    public string WebSocketUrl(string browserPath) => HttpUrl.Replace("http://", "ws://", StringComparison.Ordinal) + browserPath;

    public PodLease Lease(string podId, string nodePool, string browserPath, string downloadsDirectory) =>
        new(podId, nodePool, WebSocketUrl(browserPath), HttpUrl, Socket, downloadsDirectory);

    /// <summary>The browser target's WebSocket URL from <c>/json/version</c>, once DevTools answers; null until then.</summary>
    public async Task<string?> BrowserWebSocketUrlAsync(CancellationToken cancellationToken)
    {
        using var http = CreateHttpClient();
        try
        {
            using var response = await http.GetAsync(HttpUrl + "/json/version", cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            using var version = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            return version.RootElement.TryGetProperty("webSocketDebuggerUrl", out var url) ? url.GetString() : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or SocketException
                                   || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    private HttpClient CreateHttpClient()
    {
        var handler = new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero };
        if (Socket is { } path)
        {
            handler.ConnectCallback = (_, cancellationToken) => DevToolsTransport.ConnectUnixAsync(path, cancellationToken);
        }

        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
    }
}
