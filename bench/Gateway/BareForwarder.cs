using System.Net;
using System.Net.Sockets;

namespace UFBrowsers.Bench.Gateway;

/// <summary>
/// The floor for any relay in this process: a TCP forwarder to the browser's DevTools port with nothing else, no HTTP
/// server, no parsing, one copy loop per direction. What it costs over a direct connection is the price of the extra
/// loopback hop in each direction (a send, a wake-up of the receiving thread), which the gateway pays too.
/// </summary>
internal sealed class BareForwarder : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;

    /// <param name="devToolsSocket">A sandboxed pod's DevTools Unix socket, or null to forward to the URL's TCP port.</param>
    public BareForwarder(Uri browser, string? devToolsSocket)
    {
        _listener.Start();
        _accepting = AcceptAsync(browser, devToolsSocket);
        Url = new UriBuilder(browser) { Port = ((IPEndPoint)_listener.LocalEndpoint).Port }.Uri.ToString();
    }

    /// <summary>The browser's WebSocket URL, reached through the forwarder.</summary>
    public string Url { get; }

    private async Task AcceptAsync(Uri browser, string? devToolsSocket)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync();
            }
            catch (SocketException)
            {
                return;
            }

            Socket upstream;
            if (devToolsSocket is null)
            {
                upstream = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await upstream.ConnectAsync(browser.Host, browser.Port);
            }
            else
            {
                upstream = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await upstream.ConnectAsync(new UnixDomainSocketEndPoint(devToolsSocket));
            }

            client.NoDelay = true;
            _sockets.AddRange([client, upstream]);
            _ = CopyAsync(client, upstream);
            _ = CopyAsync(upstream, client);
        }
    }

    private static async Task CopyAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read));
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _sockets.ForEach(socket => socket.Dispose());
        await _accepting;
    }
}
