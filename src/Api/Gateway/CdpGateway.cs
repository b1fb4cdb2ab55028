using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using UFBrowsers.Api.Problems;
using UFBrowsers.Sessions;

namespace UFBrowsers.Api.Gateway;

/// <summary>
/// The CDP gateway: checks a connect token, registers the connection with its session grain (which stops the
/// first-connect and idle clocks), opens the browser's socket, and only then accepts the client's upgrade, so every
/// refusal is a plain HTTP problem. When the relay finishes it tells the grain the client is gone.
/// </summary>
internal sealed partial class CdpGateway(
    IGrainFactory grains,
    SessionTokens tokens,
    SessionEndNotifier notifier,
    GatewayInstance gateway,
    IOptions<GatewayOptions> options,
    ILogger<CdpGateway> logger)
{
    public async Task<IResult> ConnectAsync(HttpContext context, string sessionId, string? targetId, string? token)
    {
        if (Refuse(sessionId, token) is { } refused)
        {
            return refused;
        }

        if (targetId is not null && !TargetId().IsMatch(targetId))
        {
            return ApiProblem.NotFound($"No target '{targetId}'.");
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            return ApiProblem.BadRequest("websocket_required", "This endpoint speaks the Chrome DevTools Protocol over a WebSocket.");
        }

        var connectionId = "con_" + Guid.NewGuid().ToString("N");
        var closeRequested = new TaskCompletionSource<GatewayClose>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = notifier.Watch(sessionId, connectionId, close => closeRequested.TrySetResult(close));
        var session = grains.For<ISessionGrain>(sessionId);
        var connection = await session.Connect(connectionId, gateway.Id, notifier.Reference);
        if (!connection.Accepted)
        {
            return NotActive(sessionId, connection.Status);
        }

        try
        {
            BrowserSocket browser;
            try
            {
                using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
                connectTimeout.CancelAfter(TimeSpan.FromSeconds(options.Value.UpstreamConnectTimeoutSeconds));
                browser = await BrowserSocket.ConnectAsync(BrowserUri(connection.Pod!, targetId), connection.Pod!.DevToolsSocket,
                    targetId is null ? connection.Pod!.DownloadsDirectory : null, connectTimeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or SocketException or IOException or OperationCanceledException)
            {
                logger.LogWarning(ex, "Gateway could not reach the browser of session {SessionId}", sessionId);
                return targetId is null
                    ? new ApiProblem(StatusCodes.Status502BadGateway, "browser_unreachable", "Bad gateway", "The session's browser did not accept the connection.")
                    : ApiProblem.NotFound($"No target '{targetId}' in this session's browser.");
            }

            await using (browser)
            {
                var client = await ClientUpgrade.AcceptAsync(context);
                var relay = new CdpRelay(client, browser, options.Value, connection.Pod!.DownloadsDirectory, () => CloseBrowser(session));
                var sent = await relay.RunAsync(closeRequested.Task, () => WhyBrowserWent(session), context.RequestAborted);
                logger.LogDebug("Gateway connection {ConnectionId} of session {SessionId} closed ({Close})", connectionId, sessionId, sent?.Reason ?? "by a peer");
                return Results.Empty;
            }
        }
        finally
        {
            await Disconnect(session, connectionId);
        }
    }

    /// <summary>The problem to answer before anything is touched: 404 for a malformed id, 401 for a missing, wrong or expired token.</summary>
    public IResult? Refuse(string sessionId, string? token)
    {
        if (!SessionIds.IsWellFormed(sessionId))
        {
            return ApiProblem.NotFound($"No session '{sessionId}'.");
        }

        return tokens.Check(sessionId, token) switch
        {
            SessionTokenCheck.Valid => null,
            SessionTokenCheck.Expired => Unauthorized("token_expired", "The connect token has expired."),
            SessionTokenCheck.Missing => Unauthorized("token_required", "Connect with the session's connectUrl: it carries a ?token=."),
            _ => Unauthorized("invalid_token", "The connect token is not valid for this session."),
        };
    }

    public static ApiProblem NotActive(string sessionId, SessionStatus status) => status == SessionStatus.Ended
        ? new ApiProblem(StatusCodes.Status404NotFound, "session_ended", "Not found", $"Session '{sessionId}' has ended.")
        : ApiProblem.NotFound($"No session '{sessionId}'.");

    private static ApiProblem Unauthorized(string code, string detail) =>
        new(StatusCodes.Status401Unauthorized, code, "Unauthorized", detail);

    private static Uri BrowserUri(Pods.PodLease pod, string? targetId) => targetId is null
        ? new Uri(pod.CdpWebSocketUrl)
        : new Uri(new Uri(pod.CdpHttpUrl.Replace("http://", "ws://", StringComparison.OrdinalIgnoreCase).Replace("https://", "wss://", StringComparison.OrdinalIgnoreCase)), $"/devtools/page/{targetId}");

    private async Task<GatewayClose?> WhyBrowserWent(ISessionGrain session)
    {
        try
        {
            return await session.Get() is { Status: SessionStatus.Ended, EndReason: { } reason } ? CloseCodes.For(reason) : null;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Gateway could not ask session {SessionId} why its browser went", session.GetPrimaryKeyString());
            return null;
        }
    }

    /// <summary>The client sent <c>Browser.close</c>: the session ends (and is billed) as browser_closed, which also removes the pod.</summary>
    private async Task<bool> CloseBrowser(ISessionGrain session)
    {
        try
        {
            await session.End(EndReason.BrowserClosed);
            return true;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Gateway could not end session {SessionId} after its client closed the browser", session.GetPrimaryKeyString());
            return false;
        }
    }

    private async Task Disconnect(ISessionGrain session, string connectionId)
    {
        try
        {
            await session.Disconnect(connectionId);
        }
        catch (Exception ex)
        {
            // Until the session hears it, it counts a client that is gone and its idle clock does not run: keep telling it.
            logger.LogWarning(ex, "Gateway could not tell session {SessionId} that connection {ConnectionId} closed; retrying", session.GetPrimaryKeyString(), connectionId);
            _ = DisconnectLater(session, connectionId);
        }
    }

    /// <summary>
    /// Retries a lost disconnect for as long as a session can last (an hour at most, then its deadline has ended it);
    /// should this process die first, its lease ends the connection.
    /// </summary>
    private async Task DisconnectLater(ISessionGrain session, string connectionId)
    {
        for (var attempt = 1; attempt <= 120; attempt++)
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, 2 * attempt)));
            try
            {
                await session.Disconnect(connectionId);
                return;
            }
            catch (Exception ex)
            {
                logger.LogDebug(ex, "Gateway could not tell session {SessionId} that connection {ConnectionId} closed (attempt {Attempt})", session.GetPrimaryKeyString(), connectionId, attempt);
            }
        }

        logger.LogWarning("Gateway gave up telling session {SessionId} that connection {ConnectionId} closed", session.GetPrimaryKeyString(), connectionId);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}\\z")]
    private static partial Regex TargetId();
}
