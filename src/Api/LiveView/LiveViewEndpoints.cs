using System.Net.WebSockets;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using UFBrowsers.Api.Auditing;
using UFBrowsers.Api.Authentication;
using UFBrowsers.Api.Contracts;
using UFBrowsers.Api.Gateway;
using UFBrowsers.Api.Problems;
using UFBrowsers.Grains;
using UFBrowsers.Sessions;

namespace UFBrowsers.Api.LiveView;

/// <summary>
/// Live view: a customer makes a link (<c>POST /v1/sessions/{id}/live-links</c>, API key); whoever holds the link opens
/// its page (<c>GET /live/{id}?token=</c>), which talks to <c>GET /v1/sessions/{id}/live?token=</c> over a WebSocket.
/// </summary>
internal static class LiveViewEndpoints
{
    public const string AssetsPath = "/live/assets";

    private const int MaxViewerMessageBytes = 64 * 1024;

    /// <summary>
    /// The viewer page may be framed by any site (the customer's own app embeds it; the token is the permission), runs
    /// only its own script, reaches only this API, and sends no Referer, since its URL holds the token.
    /// </summary>
    private const string PagePolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; " +
        "frame-ancestors *; base-uri 'none'; form-action 'none'";

    public static RouteGroupBuilder MapLiveViewEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/sessions/{id}/live-links", CreateLink).WithName("CreateLiveLink").WithTags("Sessions")
            .RequireAuthorization(AuthPolicies.Customer).AddEndpointFilter<AuditFilter>()
            .WithSummary("A link to watch the running session live (view only, or interactive), to open or embed")
            .Produces<LiveLinkResponse>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        v1.MapGet("/sessions/{id}/live", Connect).WithName("ConnectLiveView").WithTags("Gateway")
            .WithSummary("The live view's WebSocket (the link's page opens it with the link's token)");
        return v1;
    }

    /// <summary>The page a link opens, and its script and style (<c>LiveView/Viewer</c>, copied next to the binaries).</summary>
    public static WebApplication MapLiveViewPage(this WebApplication app)
    {
        app.MapGet("/live/{id}", Page).WithName("LiveViewPage").WithTags("Gateway")
            .WithSummary("The live view page a link opens (embeddable)").Produces(StatusCodes.Status200OK, contentType: "text/html");
        return app;
    }

    private static async Task<IResult> CreateLink(
        HttpRequest request,
        ClaimsPrincipal user,
        IGrainFactory grains,
        LiveLinkTokens tokens,
        GatewayUrls urls,
        IOptions<LiveViewOptions> options,
        [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock,
        string id,
        [FromBody] LiveLinkRequest? body)
    {
        body ??= new LiveLinkRequest();
        if (body.ExpiresInSeconds is { } seconds && (seconds < 1 || seconds > options.Value.MaxExpiresInSeconds))
        {
            return ApiProblem.BadRequest("invalid_expires_in", $"expiresInSeconds must be between 1 and {options.Value.MaxExpiresInSeconds}.");
        }

        if (!SessionIds.IsWellFormed(id) || await grains.For<ISessionGrain>(id).Get() is not { } session || session.CustomerId != user.CustomerId())
        {
            return ApiProblem.NotFound($"No session '{id}'.");
        }

        if (session.Status != SessionStatus.Active)
        {
            return CdpGateway.NotActive(id, session.Status);
        }

        var requested = clock.GetUtcNow() + TimeSpan.FromSeconds(body.ExpiresInSeconds ?? options.Value.DefaultExpiresInSeconds);
        var expiresAt = requested < session.ExpiresAt ? requested : session.ExpiresAt;
        var mode = body.Interactive == true ? LiveViewMode.Interactive : LiveViewMode.ViewOnly;
        var token = tokens.Issue(id, mode, expiresAt);
        var response = new LiveLinkResponse($"{urls.PublicBase(request)}/live/{id}?token={token}", mode == LiveViewMode.Interactive,
            DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds()));
        return TypedResults.Created((string?)null, response);
    }

    private static async Task<IResult> Page(HttpContext context, LiveLinkTokens tokens, IGrainFactory grains, string id, [FromQuery] string? token)
    {
        if ((await Check(tokens, grains, id, token)).Problem is { } refused)
        {
            return refused;
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = PagePolicy;
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        return Results.File(Path.Combine(AppContext.BaseDirectory, "LiveViewer", "viewer.html"), "text/html; charset=utf-8");
    }

    private static async Task<IResult> Connect(
        HttpContext context,
        LiveLinkTokens tokens,
        IGrainFactory grains,
        LiveViewHub hub,
        ILogger<LiveViewHub> logger,
        [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock,
        string id,
        [FromQuery] string? token)
    {
        var (refused, pod) = await Check(tokens, grains, id, token);
        if (refused is not null)
        {
            return refused;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            return ApiProblem.BadRequest("websocket_required", "The live view speaks over a WebSocket.");
        }

        var (_, mode, expiresAt) = tokens.Check(id, token);
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var viewer = new LiveViewer(socket, mode, Guid.NewGuid().ToString("N"));
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        LiveViewSession? view;
        try
        {
            view = await hub.JoinAsync(id, pod!, viewer, lifetime.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or System.Net.Sockets.SocketException or Silo.Browsers.CdpException or OperationCanceledException or HttpRequestException)
        {
            logger.LogWarning(ex, "Live view could not reach the browser of session {SessionId}", id);
            await CloseQuietly(socket, WebSocketCloseStatus.InternalServerError, "browser_unreachable");
            return Results.Empty;
        }

        if (view is null)
        {
            await CloseQuietly(socket, WebSocketCloseStatus.PolicyViolation, "too_many_viewers");
            return Results.Empty;
        }

        var sending = viewer.SendLoopAsync(lifetime.Token);
        viewer.Send(JsonSerializer.Serialize(new { type = "hello", mode = mode == LiveViewMode.Interactive ? "interactive" : "view_only", expiresAt }));
        // The link stops working at its expiry, open viewers included.
        using var expiry = new Timer(_ => viewer.Close((WebSocketCloseStatus)4101, "link_expired"), null,
            Max(expiresAt - clock.GetUtcNow(), TimeSpan.Zero), Timeout.InfiniteTimeSpan);
        try
        {
            await ReceiveAsync(viewer, view, lifetime.Token);
        }
        finally
        {
            await hub.LeaveAsync(view, viewer);
            viewer.Close(WebSocketCloseStatus.NormalClosure, "bye");
            await Task.WhenAny(sending, Task.Delay(TimeSpan.FromSeconds(3)));
            await lifetime.CancelAsync();
        }

        return Results.Empty;
    }

    private static async Task ReceiveAsync(LiveViewer viewer, LiveViewSession view, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxViewerMessageBytes];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult received;
                do
                {
                    if (length == buffer.Length)
                    {
                        viewer.Close(WebSocketCloseStatus.MessageTooBig, "message_too_big");
                        return;
                    }

                    received = await viewer.Socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                    length += received.Count;
                }
                while (!received.EndOfMessage);

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                JsonDocument message;
                try
                {
                    message = JsonDocument.Parse(buffer.AsMemory(0, length));
                }
                catch (JsonException)
                {
                    viewer.Send("""{"type":"refused","reason":"invalid_json"}""");
                    continue;
                }

                using (message)
                {
                    if (message.RootElement.ValueKind == JsonValueKind.Object)
                    {
                        await view.HandleAsync(viewer, message.RootElement, cancellationToken);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The viewer went, or the link expired.
        }
    }

    /// <summary>The problem for a bad id or token (401) or a session that is not running (404); else the session's pod.</summary>
    private static async Task<(IResult? Problem, Pods.PodLease? Pod)> Check(LiveLinkTokens tokens, IGrainFactory grains, string id, string? token)
    {
        if (!SessionIds.IsWellFormed(id))
        {
            return (ApiProblem.NotFound($"No session '{id}'."), null);
        }

        var (check, _, _) = tokens.Check(id, token);
        if (check != SessionTokenCheck.Valid)
        {
            return (check switch
            {
                SessionTokenCheck.Expired => Unauthorized("link_expired", "This live view link has expired."),
                SessionTokenCheck.Missing => Unauthorized("token_required", "Open the live view with the link's URL: it carries a ?token=."),
                _ => Unauthorized("invalid_token", "The link's token is not valid for this session."),
            }, null);
        }

        var session = grains.For<ISessionGrain>(id);
        if (await session.GetPod() is { } pod)
        {
            return (null, pod);
        }

        var view = await session.Get();
        return (CdpGateway.NotActive(id, view?.Status ?? SessionStatus.New), null);
    }

    private static ApiProblem Unauthorized(string code, string detail) => new(StatusCodes.Status401Unauthorized, code, "Unauthorized", detail);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static async Task CloseQuietly(WebSocket socket, WebSocketCloseStatus status, string reason)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(status, reason, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
    }
}
