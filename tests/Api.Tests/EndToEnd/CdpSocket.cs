using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace UFBrowsers.Api.Tests.EndToEnd;

/// <summary>A bare CDP client over <see cref="ClientWebSocket"/> (or any client WebSocket): commands by id, and the close the server sends.</summary>
internal sealed class CdpSocket(WebSocket socket) : IAsyncDisposable
{
    private readonly WebSocket _socket = socket;
    private int _nextId;

    public WebSocket Socket => _socket;

    public static async Task<CdpSocket> Connect(string url, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        await socket.ConnectAsync(new Uri(url), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
        return new CdpSocket(socket);
    }

    /// <summary>Sends a command and returns its <c>result</c>, skipping events.</summary>
    public async Task<JsonNode> Send(string method, object? parameters = null, string? sessionId = null)
    {
        var answer = await Call(method, parameters, sessionId);
        return answer["result"] ?? throw new InvalidOperationException(answer.ToJsonString());
    }

    /// <summary>Sends a command and returns the whole answer to it (<c>result</c> or <c>error</c>), skipping events.</summary>
    public async Task<JsonNode> Call(string method, object? parameters = null, string? sessionId = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var command = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters is null ? new JsonObject() : JsonSerializer.SerializeToNode(parameters) };
        if (sessionId is not null)
        {
            command["sessionId"] = sessionId;
        }

        await _socket.SendAsync(Encoding.UTF8.GetBytes(command.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        while (true)
        {
            var message = await Receive() ?? throw new InvalidOperationException($"closed: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
            if (message["id"]?.GetValue<int>() == id)
            {
                return message;
            }
        }
    }

    /// <summary>Reads messages until the server closes; returns its close status and description.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Description)> WaitForClose(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        while (await Receive(limit.Token) is not null)
        {
        }

        return (_socket.CloseStatus, _socket.CloseStatusDescription);
    }

    private async Task<JsonNode?> Receive(CancellationToken cancellationToken = default)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var received = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage)
            {
                return JsonNode.Parse(message.ToArray());
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex) when (ex is WebSocketException or TimeoutException)
            {
                _socket.Abort();
            }
        }

        _socket.Dispose();
    }
}
