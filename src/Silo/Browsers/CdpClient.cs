using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using UFBrowsers.Pods;

namespace UFBrowsers.Silo.Browsers;

/// <summary>
/// The control plane's own Chrome DevTools Protocol connection to a pod's browser target (not a customer's: it never
/// passes the gateway and is not a session connection). Commands are sent with flattened target sessions
/// (<c>sessionId</c>), answers matched by id; events go to <see cref="EventReceived"/> on the receive loop, so a handler
/// must not block.
/// </summary>
/// <remarks>
/// Hand-written rather than PuppeteerSharp or Playwright: those drive pages through their own object models and
/// processes, while the control plane needs a handful of raw commands and events on a connection it dials itself
/// (a Unix socket for local pods).
/// </remarks>
public sealed class CdpClient : IAsyncDisposable
{
    private const int MaxMessageBytes = 256 * 1024 * 1024;

    private readonly ClientWebSocket _socket;
    private readonly HttpMessageInvoker _invoker;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<Answer>> _pending = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _receiving;
    private long _nextId;

    private CdpClient(ClientWebSocket socket, HttpMessageInvoker invoker)
    {
        _socket = socket;
        _invoker = invoker;
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Raised for every event, on the receive loop.</summary>
    public event Action<CdpEvent>? EventReceived;

    /// <summary>Completes when the connection has ended (the browser went, or the client was disposed).</summary>
    public Task Closed => _receiving;

    /// <summary>Connects to the pod's browser target (<see cref="PodLease.CdpWebSocketUrl"/>).</summary>
    public static async Task<CdpClient> ConnectAsync(PodLease pod, CancellationToken cancellationToken)
    {
        var invoker = new HttpMessageInvoker(DevToolsTransport.Handler(pod));
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        try
        {
            await socket.ConnectAsync(new Uri(pod.CdpWebSocketUrl), invoker, cancellationToken);
            return new CdpClient(socket, invoker);
        }
        catch
        {
            socket.Dispose();
            invoker.Dispose();
            throw;
        }
    }

    /// <summary>Sends a command and returns its <c>result</c>.</summary>
    /// <exception cref="CdpException">The browser answered with an error, or the connection ended first.</exception>
    public async Task<JsonElement> SendAsync(string method, object? parameters = null, string? sessionId = null, CancellationToken cancellationToken = default)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<Answer>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var message = new JsonObject { ["id"] = id, ["method"] = method };
        if (parameters is not null)
        {
            message["params"] = parameters as JsonNode ?? JsonSerializer.SerializeToNode(parameters);
        }

        if (sessionId is not null)
        {
            message["sessionId"] = sessionId;
        }

        try
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(message);
            await _sendLock.WaitAsync(cancellationToken);
            try
            {
                await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
            finally
            {
                _sendLock.Release();
            }

            using var registration = cancellationToken.Register(() => answer.TrySetCanceled(cancellationToken));
            var (result, error) = await answer.Task;
            return error is { } refused ? throw new CdpException(method, refused.Message, refused.Code) : result;
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
        {
            throw new CdpException(method, "the connection to the browser ended");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult received;
                do
                {
                    received = await _socket.ReceiveAsync(buffer.GetMemory(64 * 1024), _closing.Token);
                    buffer.Advance(received.Count);
                    if (buffer.WrittenCount > MaxMessageBytes)
                    {
                        return;
                    }
                }
                while (!received.EndOfMessage);

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                Dispatch(buffer.WrittenSpan);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The browser went or the client is closing: pending commands fail below.
        }
        finally
        {
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new CdpException("(pending)", "the connection to the browser ended"));
            }
        }
    }

    private void Dispatch(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        if (root.TryGetProperty("id", out var idElement) && idElement.TryGetInt64(out var id))
        {
            if (_pending.TryGetValue(id, out var answer))
            {
                answer.TrySetResult(root.TryGetProperty("error", out var error)
                    ? new Answer(default, new Refusal(
                        error.TryGetProperty("code", out var code) && code.TryGetInt32(out var number) ? number : 0,
                        error.TryGetProperty("message", out var text) ? text.GetString() ?? "" : ""))
                    : new Answer(root.TryGetProperty("result", out var result) ? result.Clone() : default, null));
            }

            return;
        }

        if (root.TryGetProperty("method", out var method) && EventReceived is { } handler)
        {
            var sessionId = root.TryGetProperty("sessionId", out var session) ? session.GetString() : null;
            var parameters = root.TryGetProperty("params", out var p) ? p.Clone() : default;
            handler(new CdpEvent(method.GetString()!, sessionId, parameters));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Gone already.
        }

        _socket.Abort();
        await _receiving;
        _socket.Dispose();
        _invoker.Dispose();
        _sendLock.Dispose();
        _closing.Dispose();
    }

    private readonly record struct Refusal(int Code, string Message);

    private readonly record struct Answer(JsonElement Result, Refusal? Error);
}
