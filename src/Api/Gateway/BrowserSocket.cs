using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using UFBrowsers.Api.Gateway.Policy;

namespace UFBrowsers.Api.Gateway;

/// <summary>
/// A connection to a browser's DevTools WebSocket on which the gateway made the client's side of the handshake
/// itself, offering no extension, so that frames can be relayed as bytes. Pods serve DevTools over plain
/// <c>ws://</c>: on their own network (Kubernetes), or through a Unix socket on this machine (a sandboxed local pod,
/// whose URL's host is then only a name).
/// </summary>
internal sealed class BrowserSocket : IAsyncDisposable
{
    public const int MaxResponseHeaderBytes = 4 * 1024;

    /// <summary>The id of the gateway's own command on a new connection, answered before the client's first byte is relayed.</summary>
    public const int GatewayCommandId = 0;

    private const int MaxFramesBeforeAnswer = 64;

    private const int MaxBytesBeforeAnswer = 256 * 1024;

    private BrowserSocket(Stream stream, ReadOnlyMemory<byte> received)
    {
        Stream = stream;
        Received = received;
    }

    public Stream Stream { get; }

    /// <summary>Bytes that came after the handshake response's headers: the start of the browser's frames.</summary>
    public ReadOnlyMemory<byte> Received { get; }

    /// <exception cref="WebSocketException">The browser did not accept the WebSocket.</exception>
    /// <exception cref="SocketException">The browser could not be reached.</exception>
    /// <param name="devToolsSocket">The pod's DevTools Unix socket (<see cref="Pods.PodLease.DevToolsSocket"/>), or null to dial the URL's host over TCP.</param>
    /// <param name="downloadsDirectory">
    /// On a browser-level connection, the session's downloads directory as the browser sees it: downloads are allowed into
    /// it before the client's first message (see <see cref="AllowDownloadsAsync"/>); null to leave the browser's default.
    /// </param>
    public static async Task<BrowserSocket> ConnectAsync(Uri uri, string? devToolsSocket, string? downloadsDirectory, CancellationToken cancellationToken)
    {
        var browser = await ConnectAsync(uri, devToolsSocket, cancellationToken);
        if (downloadsDirectory is null)
        {
            return browser;
        }

        try
        {
            return await browser.AllowDownloadsAsync(downloadsDirectory, cancellationToken);
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <exception cref="WebSocketException">The browser did not accept the WebSocket.</exception>
    /// <exception cref="SocketException">The browser could not be reached.</exception>
    public static async Task<BrowserSocket> ConnectAsync(Uri uri, string? devToolsSocket, CancellationToken cancellationToken)
    {
        if (uri.Scheme != "ws")
        {
            throw new WebSocketException(WebSocketError.NotAWebSocket, $"Browser URL '{uri}' is not ws://.");
        }

        var socket = devToolsSocket is null
            ? new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            if (devToolsSocket is null)
            {
                await socket.ConnectAsync(uri.Host, uri.Port, cancellationToken);
            }
            else
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(devToolsSocket), cancellationToken);
            }

            var key = WebSocketHandshake.NewKey();
            var request = $"GET {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(request), cancellationToken);

            var response = new byte[MaxResponseHeaderBytes];
            var length = 0;
            int headersEnd;
            while ((headersEnd = response.AsSpan(0, length).IndexOf("\r\n\r\n"u8)) < 0)
            {
                var read = length < response.Length ? await socket.ReceiveAsync(response.AsMemory(length), cancellationToken) : 0;
                if (read == 0)
                {
                    throw new WebSocketException(WebSocketError.HeaderError, "The browser sent no complete handshake response.");
                }

                length += read;
            }

            CheckResponse(Encoding.Latin1.GetString(response, 0, headersEnd), key);
            return new BrowserSocket(new NetworkStream(socket, ownsSocket: true), response.AsMemory((headersEnd + 4)..length));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Chromium's headless shell denies every download unless a DevTools client allows it, and Chromium forgets a client's
    /// download setting when that client's connection closes. So each client connection starts with the gateway's own
    /// <c>Browser.setDownloadBehavior</c> into the session's directory: a client that never asks (Puppeteer's default) still
    /// gets its downloads, and one that asks is confined there anyway by the CDP policy. The answer is read here and never
    /// relayed; anything the browser sent before it (nothing, on a fresh connection) is kept for the client.
    /// </summary>
    private async Task<BrowserSocket> AllowDownloadsAsync(string downloadsDirectory, CancellationToken cancellationToken)
    {
        var command = JsonSerializer.SerializeToUtf8Bytes(new
        {
            id = GatewayCommandId,
            method = "Browser.setDownloadBehavior",
            @params = new { behavior = "allow", downloadPath = downloadsDirectory },
        });
        await Stream.WriteAsync(Masking.ClientFrame(WebSocketOpcode.Text, command), cancellationToken);

        var pending = new ArrayBufferWriter<byte>();
        pending.Write(Received.Span);
        var relayed = new ArrayBufferWriter<byte>();
        var answerPrefix = Encoding.ASCII.GetBytes($"{{\"id\":{GatewayCommandId},");
        for (var frames = 0; frames < MaxFramesBeforeAnswer;)
        {
            var status = WebSocketFrameHeader.TryRead(pending.WrittenSpan, out var header);
            if (status == OperationStatus.InvalidData || header.PayloadLength > MaxBytesBeforeAnswer)
            {
                throw new WebSocketException(WebSocketError.InvalidMessageType, "The browser sent an invalid frame.");
            }

            if (status == OperationStatus.Done && pending.WrittenCount >= header.Length + header.PayloadLength)
            {
                var frameLength = header.Length + (int)header.PayloadLength;
                var payload = pending.WrittenSpan.Slice(header.Length, (int)header.PayloadLength);
                var rest = pending.WrittenSpan[frameLength..].ToArray();
                if (header.Opcode == WebSocketOpcode.Text && header.Fin && payload.StartsWith(answerPrefix))
                {
                    relayed.Write(rest);
                    return new BrowserSocket(Stream, relayed.WrittenMemory);
                }

                relayed.Write(pending.WrittenSpan[..frameLength]);
                if (relayed.WrittenCount > MaxBytesBeforeAnswer)
                {
                    break;
                }

                pending.Clear();
                pending.Write(rest);
                frames++;
                continue;
            }

            var read = await Stream.ReadAsync(pending.GetMemory(16 * 1024), cancellationToken);
            if (read == 0)
            {
                throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "The browser closed the connection before answering.");
            }

            pending.Advance(read);
        }

        throw new WebSocketException(WebSocketError.InvalidState, "The browser did not answer the gateway's download setting.");
    }

    private static void CheckResponse(string head, string key)
    {
        var lines = head.Split("\r\n");
        if (!lines[0].StartsWith("HTTP/1.1 101 ", StringComparison.Ordinal))
        {
            throw new WebSocketException(WebSocketError.NotAWebSocket, $"The browser answered '{lines[0]}'.");
        }

        var headers = lines.Skip(1)
            .Select(line => line.Split(':', 2))
            .Where(pair => pair.Length == 2)
            .ToLookup(pair => pair[0].Trim(), pair => pair[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (!headers["Upgrade"].Contains("websocket", StringComparer.OrdinalIgnoreCase)
            || !headers["Sec-WebSocket-Accept"].Contains(WebSocketHandshake.Accept(key), StringComparer.Ordinal)
            || headers.Contains("Sec-WebSocket-Extensions"))
        {
            throw new WebSocketException(WebSocketError.HeaderError, "The browser's handshake response is not a plain WebSocket upgrade.");
        }
    }

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
