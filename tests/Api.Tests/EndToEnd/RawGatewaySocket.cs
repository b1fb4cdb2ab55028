using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace UFBrowsers.Api.Tests.EndToEnd;

/// <summary>
/// A gateway client below <see cref="ClientWebSocket"/>: a TCP connection with a handshake made by hand, for frames a
/// well-behaved client never sends and for a receive buffer small enough to hold a large response back. Read it as
/// a WebSocket through <see cref="WebSocket"/>.
/// </summary>
internal sealed class RawGatewaySocket : IAsyncDisposable
{
    private readonly TcpClient _tcp;

    private RawGatewaySocket(TcpClient tcp)
    {
        _tcp = tcp;
        Stream = tcp.GetStream();
        WebSocket = WebSocket.CreateFromStream(Stream, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
    }

    public NetworkStream Stream { get; }

    public WebSocket WebSocket { get; }

    public static async Task<RawGatewaySocket> Connect(string url, int receiveBufferBytes = 0)
    {
        var uri = new Uri(url);
        var tcp = new TcpClient { NoDelay = true };
        if (receiveBufferBytes > 0)
        {
            tcp.ReceiveBufferSize = receiveBufferBytes;
        }

        await tcp.ConnectAsync(uri.Host, uri.Port);
        var socket = new RawGatewaySocket(tcp);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        await socket.Stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        var response = new StringBuilder();
        while (!response.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            var next = socket.Stream.ReadByte();
            Assert.NotEqual(-1, next);
            response.Append((char)next);
        }

        Assert.StartsWith("HTTP/1.1 101 ", response.ToString());
        return socket;
    }

    /// <summary>Reads until the close frame; returns how much data came first, whether it finished a message, and the close.</summary>
    public async Task<(long DataBytes, bool EndedAMessage, WebSocketCloseStatus? Status, string? Description)> ReadToClose(TimeSpan timeout, TimeSpan pauseBetweenReads = default)
    {
        using var limit = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        var dataBytes = 0L;
        var endedAMessage = false;
        while (true)
        {
            var received = await WebSocket.ReceiveAsync(buffer, limit.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return (dataBytes, endedAMessage, WebSocket.CloseStatus, WebSocket.CloseStatusDescription);
            }

            dataBytes += received.Count;
            endedAMessage |= received.EndOfMessage;
            if (pauseBetweenReads > TimeSpan.Zero)
            {
                await Task.Delay(pauseBetweenReads, limit.Token);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        WebSocket.Dispose();
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
