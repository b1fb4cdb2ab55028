using System.Net.Sockets;
using UFBrowsers.Pods;

namespace UFBrowsers.Silo.Browsers;

/// <summary>
/// How the control plane reaches a pod's DevTools: through the pod's Unix socket when its lease names one (a local
/// sandboxed pod, whose DevTools port exists only inside its own network namespace), else over TCP to the URL's host.
/// </summary>
public static class DevToolsTransport
{
    /// <summary>
    /// An HTTP handler for one pod: every connection it opens goes to that pod. Not pooled across pods, since local pods'
    /// URLs all name the same host (<c>localhost</c>), which is only what the Host header says.
    /// </summary>
    public static SocketsHttpHandler Handler(PodLease pod)
    {
        var handler = new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero, ConnectTimeout = TimeSpan.FromSeconds(5) };
        if (pod.DevToolsSocket is { } socketPath)
        {
            handler.ConnectCallback = (_, cancellationToken) => ConnectUnixAsync(socketPath, cancellationToken);
        }

        return handler;
    }

    public static async ValueTask<Stream> ConnectUnixAsync(string socketPath, CancellationToken cancellationToken)
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
    }
}
