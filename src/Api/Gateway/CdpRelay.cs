using System.Buffers;
using System.Net.WebSockets;

namespace UFBrowsers.Api.Gateway;

/// <summary>
/// Relays one client's CDP WebSocket to its browser and back, message by message. The gateway terminates the
/// WebSocket on both sides (rather than forwarding the upgraded byte stream, as YARP's forwarder does) because it must
/// be able to send the client a close frame of its own, with a code and reason, when the session ends; an opaque
/// byte pipe could only drop the connection. Browser-to-client messages (screenshots are megabytes) go out frame by
/// frame as they arrive, so large responses stream without being buffered; client-to-browser messages (small
/// commands) are relayed whole. Sends to the client are serialised with the close the gateway may inject.
/// </summary>
internal sealed class CdpRelay(WebSocket client, WebSocket browser, GatewayOptions options)
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _clientSend = new(1, 1);

    /// <summary>
    /// Runs until either side goes or <paramref name="closeRequested"/> fires (the session ended, the host stops).
    /// When the browser's side goes first, <paramref name="whyBrowserWent"/> says whether the session ended and why.
    /// Returns the close the client was sent, if any.
    /// </summary>
    public async Task<GatewayClose?> RunAsync(Task<GatewayClose> closeRequested, Func<Task<GatewayClose?>> whyBrowserWent, CancellationToken aborted)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var toBrowser = PumpToBrowserAsync(stop.Token);
        var toClient = PumpToClientAsync(stop.Token);
        GatewayClose? sent = null;
        try
        {
            var first = await Task.WhenAny(toBrowser, toClient, closeRequested);
            if (first == closeRequested)
            {
                sent = await closeRequested;
            }
            else if (first == toBrowser)
            {
                var end = await toBrowser;
                if (end.Kind == PumpEndKind.Closed)
                {
                    // The client closed: complete its handshake and pass the close on to the browser.
                    var status = Sendable(end.Status);
                    await CloseClientAsync(new GatewayClose(status, end.Description ?? ""));
                    await CloseBrowserAsync(status, end.Description);
                }
                else if (end.Kind == PumpEndKind.TooBig)
                {
                    sent = CloseCodes.MessageTooBig;
                }
            }
            else
            {
                var end = await toClient;
                using var grace = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                grace.CancelAfter(options.EndNoticeGraceMilliseconds);
                sent = await WithinAsync(closeRequested, grace.Token)
                    ?? await whyBrowserWent()
                    ?? (end.Kind == PumpEndKind.Closed && end.Status is { } status ? new GatewayClose(Sendable(status), end.Description ?? "") : null)
                    ?? CloseCodes.BrowserConnectionLost;
            }

            if (sent is not null)
            {
                await CloseClientAsync(sent);
                // Give the client the moment it needs to answer the close, so it sees a clean closing handshake.
                await Task.WhenAny(toBrowser, Task.Delay(CloseTimeout, CancellationToken.None));
            }

            return sent;
        }
        finally
        {
            await stop.CancelAsync();
            browser.Abort();
            if (client.State != WebSocketState.Closed)
            {
                client.Abort();
            }

            await Task.WhenAll(toBrowser, toClient);
        }
    }

    private async Task<PumpEnd> PumpToClientAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(options.BufferBytes);
        try
        {
            while (true)
            {
                var received = await browser.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return new PumpEnd(PumpEndKind.Closed, browser.CloseStatus, browser.CloseStatusDescription);
                }

                await _clientSend.WaitAsync(cancellationToken);
                try
                {
                    await client.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, cancellationToken);
                }
                finally
                {
                    _clientSend.Release();
                }
            }
        }
        catch (Exception ex) when (IsConnectionEnd(ex))
        {
            return PumpEnd.Dropped;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<PumpEnd> PumpToBrowserAsync(CancellationToken cancellationToken)
    {
        var message = ArrayPool<byte>.Shared.Rent(options.BufferBytes);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == message.Length)
                {
                    if (message.Length >= options.MaxClientMessageBytes)
                    {
                        return new PumpEnd(PumpEndKind.TooBig, null, null);
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(message.Length * 2, options.MaxClientMessageBytes));
                    message.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(message);
                    message = larger;
                }

                var received = await client.ReceiveAsync(message.AsMemory(length), cancellationToken);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return new PumpEnd(PumpEndKind.Closed, client.CloseStatus, client.CloseStatusDescription);
                }

                length += received.Count;
                if (received.EndOfMessage)
                {
                    await browser.SendAsync(message.AsMemory(0, length), received.MessageType, true, cancellationToken);
                    length = 0;
                }
            }
        }
        catch (Exception ex) when (IsConnectionEnd(ex))
        {
            return PumpEnd.Dropped;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(message);
        }
    }

    private async Task CloseClientAsync(GatewayClose close)
    {
        using var timeout = new CancellationTokenSource(CloseTimeout);
        try
        {
            await _clientSend.WaitAsync(timeout.Token);
            try
            {
                if (client.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await client.CloseOutputAsync(close.Status, close.Reason, timeout.Token);
                }
            }
            finally
            {
                _clientSend.Release();
            }
        }
        catch (Exception ex) when (IsConnectionEnd(ex))
        {
            client.Abort();
        }
    }

    private async Task CloseBrowserAsync(WebSocketCloseStatus status, string? description)
    {
        using var timeout = new CancellationTokenSource(CloseTimeout);
        try
        {
            if (browser.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await browser.CloseOutputAsync(status, description, timeout.Token);
            }
        }
        catch (Exception ex) when (IsConnectionEnd(ex))
        {
            browser.Abort();
        }
    }

    private static async Task<GatewayClose?> WithinAsync(Task<GatewayClose> close, CancellationToken cancellationToken)
    {
        try
        {
            return await close.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Codes a peer may receive but no endpoint may send (1005 no status, 1006 abnormal, 1015 TLS) become a normal close.</summary>
    private static WebSocketCloseStatus Sendable(WebSocketCloseStatus? status) =>
        status is null or WebSocketCloseStatus.Empty or (WebSocketCloseStatus)1006 or (WebSocketCloseStatus)1015
            ? WebSocketCloseStatus.NormalClosure
            : status.Value;

    private static bool IsConnectionEnd(Exception ex) =>
        ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException;

    private enum PumpEndKind
    {
        Closed,
        Dropped,
        TooBig,
    }

    private sealed record PumpEnd(PumpEndKind Kind, WebSocketCloseStatus? Status, string? Description)
    {
        public static readonly PumpEnd Dropped = new(PumpEndKind.Dropped, null, null);
    }
}
