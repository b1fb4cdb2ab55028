using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;
using UFBrowsers.Api.Gateway.Policy;
using UFBrowsers.Sessions;

namespace UFBrowsers.Api.Gateway;

/// <summary>
/// Relays one client's CDP WebSocket to its browser and back as bytes, after both handshakes: the client's frames
/// (masked) go to the browser as they are, the browser's (unmasked) to the client as they are. Only frame headers
/// are read, so that the gateway still knows where frames begin: to stop a client message larger than
/// <see cref="GatewayOptions.MaxClientMessageBytes"/>, to see either side's close frame, and to send the client a
/// close frame of its own, with a code and reason, when the session ends. The client's messages are also read (not
/// parsed) for their method, so that the few commands the <see cref="CdpPolicy"/> names are confined, refused or
/// answered by the gateway (<see cref="ClientMessageInspector"/>). The browser's frames are cut at read
/// boundaries (<see cref="ServerFrameSplitter"/>), so every write to the client ends on a frame boundary and that close
/// can go out at any moment.
/// </summary>
/// <param name="downloadsDirectory">The session's downloads directory as the browser sees it; null when it has none.</param>
/// <param name="closeBrowser">Ends the session because the client closed the browser; false if it could not.</param>
internal sealed class CdpRelay(Stream client, BrowserSocket browser, GatewayOptions options, string? downloadsDirectory, Func<Task<bool>> closeBrowser)
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    // Room for at least what the browser may have sent along with its handshake response.
    private readonly int _bufferBytes = Math.Max(options.BufferBytes, 2 * BrowserSocket.MaxResponseHeaderBytes);

    private readonly ClientWriter _toClient = new(client);

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
                    PumpEndKind.PolicyViolation => CloseCodes.PolicyViolation,
                    PumpEndKind.BrowserClosed => CloseCodes.For(EndReason.BrowserClosed),
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
            _toClient.Dispose();
        }
    }

    /// <summary>
    /// Client to browser: frames pass as they are, except commands the <see cref="CdpPolicy"/> names, which the
    /// <see cref="ClientMessageInspector"/> replaces or answers; a message still arriving is held back until it has.
    /// </summary>
    private async Task<PumpEnd> PumpToBrowserAsync(CancellationToken stopReading, CancellationToken stopWriting)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_bufferBytes);
        using var inspector = new ClientMessageInspector(downloadsDirectory, options.MaxClientMessageBytes, buffer.Length);
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
                while (true)
                {
                    var step = inspector.Inspect(buffer, end);
                    if (step.Forward > 0)
                    {
                        await browser.Stream.WriteAsync(buffer.AsMemory(0, step.Forward), stopWriting);
                    }

                    if (step.ToBrowser is { Length: > 0 } replacement)
                    {
                        await browser.Stream.WriteAsync(replacement, stopWriting);
                    }

                    if (step.ToClient is { Length: > 0 } answer)
                    {
                        await _toClient.WriteAsync(answer, stopWriting);
                    }

                    if (step.EndSession)
                    {
                        if (await closeBrowser())
                        {
                            return PumpEnd.BrowserClosed;
                        }

                        // The session could not be ended: the browser closes itself, and the session ends when it goes.
                        await browser.Stream.WriteAsync(step.Original ?? [], stopWriting);
                    }

                    switch (step.Stop)
                    {
                        case InspectorStop.Closed:
                            return new PumpEnd(PumpEndKind.Closed, step.CloseStatus, step.CloseReason);
                        case InspectorStop.Invalid:
                            return PumpEnd.Invalid;
                        case InspectorStop.TooBig:
                            return PumpEnd.TooBig;
                        case InspectorStop.PolicyViolation:
                            return PumpEnd.PolicyViolation;
                    }

                    buffer.AsSpan(step.Consumed, end - step.Consumed).CopyTo(buffer);
                    end -= step.Consumed;
                    if (!step.More)
                    {
                        break;
                    }
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
                    await _toClient.WriteAsync(buffer.AsMemory(split.Start..split.End), stopWriting);
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
            await _toClient.CloseAsync(CloseFrame.ForClient(close), timeout.Token);
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
        PolicyViolation,
        BrowserClosed,
    }

    private sealed record PumpEnd(PumpEndKind Kind, WebSocketCloseStatus? Status, string? Description)
    {
        public static readonly PumpEnd Dropped = new(PumpEndKind.Dropped, null, null);

        public static readonly PumpEnd TooBig = new(PumpEndKind.TooBig, null, null);

        public static readonly PumpEnd Invalid = new(PumpEndKind.Invalid, null, null);

        public static readonly PumpEnd PolicyViolation = new(PumpEndKind.PolicyViolation, null, null);

        public static readonly PumpEnd BrowserClosed = new(PumpEndKind.BrowserClosed, null, null);
    }
}
