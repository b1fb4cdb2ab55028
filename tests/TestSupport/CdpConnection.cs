using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace UFBrowsers.TestSupport;

/// <summary>Just enough of the Chrome DevTools Protocol to send a command and read its result, over TCP or a pod's Unix socket.</summary>
public sealed class CdpConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private int _nextId;

    /// <param name="devToolsSocket">The pod's DevTools Unix socket (a sandboxed pod; the URL's host is then only a name), or null for TCP.</param>
    public static async Task<CdpConnection> OpenAsync(string webSocketUrl, string? devToolsSocket = null)
    {
        var connection = new CdpConnection();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        if (devToolsSocket is null)
        {
            await connection._socket.ConnectAsync(new Uri(webSocketUrl), timeout.Token);
        }
        else
        {
            using var invoker = new HttpMessageInvoker(PodDevTools.Handler(devToolsSocket));
            await connection._socket.ConnectAsync(new Uri(webSocketUrl), invoker, timeout.Token);
        }

        return connection;
    }

    public async Task<JsonElement> SendAsync(string method, object? parameters = null, string? sessionId = null)
    {
        var id = ++_nextId;
        var request = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = JsonSerializer.SerializeToNode(parameters ?? new { }) };
        if (sessionId is not null)
        {
            request["sessionId"] = sessionId;
        }

        await _socket.SendAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            using var message = JsonDocument.Parse(await ReceiveAsync(timeout.Token));
            if (!message.RootElement.TryGetProperty("id", out var replyId) || replyId.GetInt32() != id)
            {
                continue; // an event
            }

            if (message.RootElement.TryGetProperty("error", out var error))
            {
                throw new InvalidOperationException($"{method} failed: {error}");
            }

            return message.RootElement.GetProperty("result").Clone();
        }
    }

    /// <summary>Evaluates a JavaScript expression (awaiting a promise) and returns its value as a string.</summary>
    public async Task<string?> EvaluateAsync(string expression, string? sessionId = null)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, awaitPromise = true, returnByValue = true }, sessionId);
        if (result.TryGetProperty("exceptionDetails", out var exception))
        {
            throw new InvalidOperationException($"Evaluating '{expression}' threw: {exception}");
        }

        var value = result.GetProperty("result");
        return value.TryGetProperty("value", out var v) ? v.ToString() : null;
    }

    private async Task<string> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var text = new MemoryStream();
        WebSocketReceiveResult received;
        do
        {
            received = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException($"The browser closed the connection ({_socket.CloseStatus}).");
            }

            text.Write(buffer, 0, received.Count);
        }
        while (!received.EndOfMessage);

        return Encoding.UTF8.GetString(text.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        _socket.Dispose();
    }
}
