using System.Net.Sockets;
using UFBrowsers.Pods;

namespace UFBrowsers.TestSupport;

/// <summary>A pod's DevTools as a test reaches it: through its Unix socket when it has one (sandboxed), else over TCP.</summary>
public static class PodDevTools
{
    /// <summary>An HTTP client for the pod's DevTools; relative URIs resolve against its <c>CdpHttpUrl</c>.</summary>
    public static HttpClient Http(PodLease pod) =>
        new(pod.DevToolsSocket is { } socket ? Handler(socket) : new SocketsHttpHandler { UseProxy = false })
        {
            BaseAddress = new Uri(pod.CdpHttpUrl),
            Timeout = TimeSpan.FromSeconds(10),
        };

    public static Task<CdpConnection> BrowserAsync(PodLease pod) => CdpConnection.OpenAsync(pod.CdpWebSocketUrl, pod.DevToolsSocket);

    public static Task<CdpConnection> ConnectAsync(PodLease pod, string webSocketUrl) => CdpConnection.OpenAsync(webSocketUrl, pod.DevToolsSocket);

    /// <summary>Whether anything accepts a connection on the pod's DevTools endpoint.</summary>
    public static async Task<bool> AcceptsConnectionsAsync(PodLease pod)
    {
        try
        {
            using var http = Http(pod);
            using var response = await http.GetAsync("/json/version");
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>A handler whose every connection is a new connection to the Unix socket (so no pooled connection can reach another pod).</summary>
    public static SocketsHttpHandler Handler(string socketPath) => new()
    {
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.Zero,
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
