using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace UFBrowsers.Api.Gateway;

/// <summary>
/// Relays one client's CDP WebSocket to its browser and back as bytes, after both handshakes: the client's frames
/// (masked) go to the browser as they are, the browser's (unmasked) to the client as they are. Only frame headers
/// are read, so that the gateway still knows where frames begin: to stop a client message larger than
/// <see cref="GatewayOptions.MaxClientMessageBytes"/>, to see either side's close frame, and to send the client a
/// close frame of its own, with a code and reason, when the session ends. The browser's frames are cut at read
/// boundaries (<see cref="ServerFrameSplitter"/>), so every write to the client ends on a frame boundary and that close
/// can go out at any moment.
/// </summary>
internal sealed class CdpRelay(Stream client, BrowserSocket browser, GatewayOptions options)
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    // Room for at least what the browser may have sent along with its handshake response.
    private readonly int _bufferBytes = Math.Max(options.BufferBytes, 2 * BrowserSocket.MaxResponseHeaderBytes);

    /// <summary>
    /// Runs until either side goes or <paramref name="closeRequested"/> fires (the session ended, the host stops).
    /// When the browser's side goes first, <paramref name="whyBrowserWent"/> says whether the session ended and why.
    /// Returns the close the gateway sent the client, if any (not the answer to a close of the client's own).
    /// </summary>
    public async Task<GatewayClose?> RunAsync(Task<GatewayClose> closeRequested, Func<Task<GatewayClose?>> whyBrowserWent, CancellationToken aborted)
    {
        using var stopToBrowser = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        using var stopToClient = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        using var stopWrites = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var toBrowser = PumpToBrowserAsync(stopToBrowser.Token, stopWrites.Token);
        var toClient = PumpToClientAsync(stopToClient.Token, stopWrites.Token);
        try
        {
            GatewayClose? sent = null;
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
                    // The client closed and its close frame went on to the browser: answer it, as its server would.
                    await CloseClientAsync(toClient, stopToClient, new GatewayClose(Sendable(end.Status), end.Description ?? ""));
                    return null;
                }

                sent = end.Kind switch
                {
                    PumpEndKind.TooBig => CloseCodes.MessageTooBig,
                    PumpEndKind.Invalid => CloseCodes.ProtocolError,
                    _ => null,
                };
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

            if (sent is not null && await CloseClientAsync(toClient, stopToClient, sent))
            {
                // Give the client the moment it needs to answer the close, so it sees a clean closing handshake.
                await Task.WhenAny(toBrowser, Task.Delay(CloseTimeout, CancellationToken.None));
            }

            return sent;
        }
        finally
        {
            await stopToBrowser.CancelAsync();
            await stopToClient.CancelAsync();
            await stopWrites.CancelAsync();
            await browser.DisposeAsync();
            await Task.WhenAll(toBrowser, toClient);
        }
    }

    /// <summary>Client to browser: frames pass whole or in the pieces they arrive in; a partial header waits for the rest.</summary>
    private async Task<PumpEnd> PumpToBrowserAsync(CancellationToken stopReading, CancellationToken stopWriting)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_bufferBytes);
        var frames = new FrameCursor();
        var messageBytes = 0L;
        var end = 0;
        try
        {
            while (true)
            {
                var read = await client.ReadAsync(buffer.AsMemory(end), stopReading);
                if (read == 0)
                {
                    return PumpEnd.Dropped;
                }

                end += read;
                var position = 0;
                PumpEnd? stop = null;
                while (position < end && stop is null)
                {
                    var piece = frames.Next(buffer.AsSpan(position, end - position));
                    if (piece.Kind == FramePieceKind.NeedMore)
                    {
                        break;
                    }

                    if (piece.Kind == FramePieceKind.Invalid || (piece.Kind != FramePieceKind.Continuation && !piece.Frame.Masked))
                    {
                        stop = PumpEnd.Invalid;
                        break;
                    }

                    if (piece.Kind != FramePieceKind.Continuation && !piece.Frame.IsControl)
                    {
                        messageBytes = (piece.Frame.Opcode == WebSocketOpcode.Continuation ? messageBytes : 0) + piece.Frame.PayloadLength;
                        if (messageBytes > options.MaxClientMessageBytes)
                        {
                            stop = PumpEnd.TooBig;
                            break;
                        }
                    }

                    if (piece.Frame.Opcode == WebSocketOpcode.Close)
                    {
                        var (status, reason) = CloseFrame.Read(buffer.AsSpan(position, piece.Length));
                        stop = new PumpEnd(PumpEndKind.Closed, status, reason);
                    }

                    position += piece.Length;
                }

                if (position > 0)
                {
                    await browser.Stream.WriteAsync(buffer.AsMemory(0, position), stopWriting);
                }

                if (stop is not null)
                {
                    return stop;
                }

                buffer.AsSpan(position, end - position).CopyTo(buffer);
                end -= position;
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

    /// <summary>Browser to client: every write ends on a frame boundary; the browser's close frame is kept back.</summary>
    private async Task<PumpEnd> PumpToClientAsync(CancellationToken stopReading, CancellationToken stopWriting)
    {
        const int start = ServerFrameSplitter.Headroom;
        var buffer = ArrayPool<byte>.Shared.Rent(_bufferBytes);
        var frames = new ServerFrameSplitter();
        try
        {
            var end = start + browser.Received.Length;
            browser.Received.Span.CopyTo(buffer.AsSpan(start));
            while (true)
            {
                var split = frames.Split(buffer, end);
                if (split.End > split.Start)
                {
                    await client.WriteAsync(buffer.AsMemory(split.Start..split.End), stopWriting);
                }

                if (split.Stop == ServerFrameSplitStop.Close)
                {
                    var (status, reason) = CloseFrame.Read(buffer.AsSpan(split.End..split.Held));
                    return new PumpEnd(PumpEndKind.Closed, status, reason);
                }

                if (split.Stop == ServerFrameSplitStop.Invalid)
                {
                    return PumpEnd.Invalid;
                }

                buffer.AsSpan(split.Held..end).CopyTo(buffer.AsSpan(start));
                end = start + end - split.Held;
                var read = await browser.Stream.ReadAsync(buffer.AsMemory(end), stopReading);
                if (read == 0)
                {
                    return PumpEnd.Dropped;
                }

                end += read;
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

    /// <summary>
    /// Stops the browser-to-client pump (it finishes the write it is in, so the client is on a frame boundary) and
    /// sends the client a close frame. False if the client could not be sent one: it stopped reading.
    /// </summary>
    private async Task<bool> CloseClientAsync(Task<PumpEnd> toClient, CancellationTokenSource stopToClient, GatewayClose close)
    {
        await stopToClient.CancelAsync();
        using var timeout = new CancellationTokenSource(CloseTimeout);
        try
        {
            await toClient.WaitAsync(timeout.Token);
            await client.WriteAsync(CloseFrame.ForClient(close), timeout.Token);
            return true;
        }
        catch (Exception ex) when (IsConnectionEnd(ex))
        {
            return false;
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
        ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException;

    private enum PumpEndKind
    {
        Closed,
        Dropped,
        TooBig,
        Invalid,
    }

    private sealed record PumpEnd(PumpEndKind Kind, WebSocketCloseStatus? Status, string? Description)
    {
        public static readonly PumpEnd Dropped = new(PumpEndKind.Dropped, null, null);

        public static readonly PumpEnd TooBig = new(PumpEndKind.TooBig, null, null);

        public static readonly PumpEnd Invalid = new(PumpEndKind.Invalid, null, null);
    }
}
