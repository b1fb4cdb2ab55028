using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace UFBrowsers.Bench.Gateway;

/// <summary>
/// One CDP connection issuing one command at a time. Only a response's leading <c>id</c> is read, so the client's
/// own cost stays small and equal on both paths.
/// </summary>
internal sealed class BenchCdpClient(ClientWebSocket socket) : IAsyncDisposable
{
    private readonly byte[] _buffer = new byte[1024 * 1024];
    private byte[] _message = new byte[1024 * 1024];
    private int _nextId;

    /// <param name="devToolsSocket">A sandboxed pod's DevTools Unix socket (the URL's host is then only a name), or null for TCP.</param>
    public static async Task<BenchCdpClient> ConnectAsync(string url, string? devToolsSocket = null)
    {
        var socket = new ClientWebSocket();
        if (devToolsSocket is null)
        {
            await socket.ConnectAsync(new Uri(url), CancellationToken.None);
        }
        else
        {
            using var invoker = new HttpMessageInvoker(new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancellationToken) =>
                {
                    var unix = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
                    await unix.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(devToolsSocket), cancellationToken);
                    return new System.Net.Sockets.NetworkStream(unix, ownsSocket: true);
                },
            });
            await socket.ConnectAsync(new Uri(url), invoker, CancellationToken.None);
        }

        return new BenchCdpClient(socket);
    }

    /// <summary>Sends a command and returns the raw response (valid until the next call).</summary>
    public async Task<ReadOnlyMemory<byte>> SendAsync(string method, string paramsJson = "{}", string? sessionId = null)
    {
        var id = ++_nextId;
        var session = sessionId is null ? "" : $",\"sessionId\":\"{sessionId}\"";
        await socket.SendAsync(Encoding.UTF8.GetBytes($"{{\"id\":{id},\"method\":\"{method}\",\"params\":{paramsJson}{session}}}"), WebSocketMessageType.Text, true, CancellationToken.None);
        while (true)
        {
            var length = await ReceiveAsync();
            var message = _message.AsMemory(0, length);
            if (LeadingId(message.Span) == id)
            {
                return message;
            }
        }
    }

    public static string Field(ReadOnlyMemory<byte> message, params string[] path)
    {
        using var json = JsonDocument.Parse(message);
        var element = json.RootElement;
        foreach (var name in path)
        {
            element = element.GetProperty(name);
        }

        return element.ToString();
    }

    private async Task<int> ReceiveAsync()
    {
        var length = 0;
        while (true)
        {
            var received = await socket.ReceiveAsync(_buffer.AsMemory(), CancellationToken.None);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"closed: {socket.CloseStatus} {socket.CloseStatusDescription}");
            }

            if (length + received.Count > _message.Length)
            {
                Array.Resize(ref _message, Math.Max(_message.Length * 2, length + received.Count));
            }

            _buffer.AsSpan(0, received.Count).CopyTo(_message.AsSpan(length));
            length += received.Count;
            if (received.EndOfMessage)
            {
                return length;
            }
        }
    }

    private static int LeadingId(ReadOnlySpan<byte> message)
    {
        var reader = new Utf8JsonReader(message);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("id"u8);
            reader.Read();
            if (isId)
            {
                return reader.GetInt32();
            }

            reader.Skip();
        }

        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }

        socket.Dispose();
    }
}
