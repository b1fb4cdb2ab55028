using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;

namespace UFBrowsers.Api.LiveView;

/// <summary>
/// One viewer's WebSocket. Everything it is sent goes through one send loop: control messages in order, and frames
/// paced by the viewer itself: at most <see cref="MaxFramesInFlight"/> frames it has not yet said it drew, and while it is
/// behind only the newest frame waits (older ones are dropped), so a slow viewer sees fewer frames, never old ones.
/// </summary>
internal sealed class LiveViewer(WebSocket socket, LiveViewMode mode, string id)
{
    public const int MaxFramesInFlight = 2;

    private readonly Lock _lock = new();
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly SemaphoreSlim _signal = new(0);
    private byte[]? _pendingFrame;
    private int _inFlight;
    private (WebSocketCloseStatus Status, string Reason)? _close;

    public string Id { get; } = id;

    public LiveViewMode Mode { get; } = mode;

    public WebSocket Socket { get; } = socket;

    /// <summary>The frame size (device pixels) the viewer shows; 0 until it says.</summary>
    public (int Width, int Height) Size { get; set; }

    public long FramesSent { get; private set; }

    public long FramesDropped { get; private set; }

    /// <summary>Whether a new frame would be sent at once rather than wait or replace one.</summary>
    public bool CanTakeFrame
    {
        get
        {
            lock (_lock)
            {
                return _inFlight + (_pendingFrame is null ? 0 : 1) < MaxFramesInFlight;
            }
        }
    }

    public void OfferFrame(byte[] frame)
    {
        lock (_lock)
        {
            if (_pendingFrame is not null)
            {
                FramesDropped++;
            }

            _pendingFrame = frame;
        }

        _signal.Release();
    }

    /// <summary>The viewer drew a frame.</summary>
    public void Acknowledged()
    {
        lock (_lock)
        {
            if (_inFlight > 0)
            {
                _inFlight--;
            }
        }

        _signal.Release();
    }

    public void Send(string json)
    {
        _messages.Enqueue(json);
        _signal.Release();
    }

    /// <summary>Sends what is queued, then a close frame.</summary>
    public void Close(WebSocketCloseStatus status, string reason)
    {
        lock (_lock)
        {
            _close ??= (status, reason);
        }

        _signal.Release();
    }

    public async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await _signal.WaitAsync(cancellationToken);
                while (_messages.TryDequeue(out var message))
                {
                    await Socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, cancellationToken);
                }

                byte[]? frame = null;
                (WebSocketCloseStatus Status, string Reason)? close;
                lock (_lock)
                {
                    close = _close;
                    if (close is null && _pendingFrame is not null && _inFlight < MaxFramesInFlight)
                    {
                        frame = _pendingFrame;
                        _pendingFrame = null;
                        _inFlight++;
                    }
                }

                if (close is { } closing)
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(TimeSpan.FromSeconds(2));
                    await Socket.CloseOutputAsync(closing.Status, closing.Reason, timeout.Token);
                    return;
                }

                if (frame is not null)
                {
                    await Socket.SendAsync(frame, WebSocketMessageType.Binary, true, cancellationToken);
                    FramesSent++;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The viewer went.
        }
    }
}
