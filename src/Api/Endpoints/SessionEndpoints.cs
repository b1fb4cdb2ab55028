using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using UFBrowsers.Api.Auditing;
using Microsoft.Extensions.Options;
using UFBrowsers.Api.Authentication;
using UFBrowsers.Api.Contracts;
using UFBrowsers.Api.Gateway;
using UFBrowsers.Api.Problems;
using UFBrowsers.Api.Queue;
using UFBrowsers.Customers;
using UFBrowsers.Grains.Queue;
using UFBrowsers.Grains.Sessions;
using UFBrowsers.Grains.Telemetry;
using UFBrowsers.Profiles;
using UFBrowsers.Sessions;

namespace UFBrowsers.Api.Endpoints;

internal static class SessionEndpoints
{
    public static RouteGroupBuilder MapSessionEndpoints(this RouteGroupBuilder v1)
    {
        var sessions = v1.MapGroup("/sessions").RequireAuthorization(AuthPolicies.Customer).AddEndpointFilter<AuditFilter>().WithTags("Sessions")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        sessions.MapPost("/", Create).WithName("CreateSession")
            .WithSummary("Starts a browser session (1-credit hold); honours Idempotency-Key")
            .Produces<SessionResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status402PaymentRequired)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status501NotImplemented).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        sessions.MapGet("/", List).WithName("ListSessions")
            .WithSummary("Sessions newest first, optionally by status")
            .Produces<Page<SessionResponse>>().ProducesProblem(StatusCodes.Status400BadRequest);
        sessions.MapGet("/{id}", Get).WithName("GetSession")
            .WithSummary("One session").Produces<SessionResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        sessions.MapPost("/{id}/end", End).WithName("EndSession")
            .WithSummary("Ends and bills the session; again is a no-op").Produces<SessionResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        sessions.MapDelete("/{id}", End).WithName("DeleteSession")
            .WithSummary("Same as POST /v1/sessions/{id}/end").Produces<SessionResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        sessions.MapGet("/{id}/events", Events).WithName("GetSessionEvents")
            .WithSummary("The session's life: created, connected, disconnected, ended, billable seconds")
            .Produces<SessionEventsResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    private static async Task<IResult> Create(
        HttpContext context,
        ClaimsPrincipal user,
        IGrainFactory grains,
        QueuedStart starter,
        GatewayUrls urls,
        IOptions<SessionQueueOptions> queueOptions,
        IOptions<SessionTimerOptions> timerOptions,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        [FromBody] CreateSessionRequest? body)
    {
        body ??= new CreateSessionRequest();
        var maxOverride = timerOptions.Value.MaxOverrideSeconds;
        if ((RequestValidation.IdempotencyKey(idempotencyKey, required: false) ?? RequestValidation.NodePool(body.NodePool)
            ?? RequestValidation.TimeoutSeconds(body.TimeoutSeconds)
            ?? RequestValidation.Seconds(body.WaitSeconds, "waitSeconds", 0, queueOptions.Value.MaxWaitSeconds)
            ?? RequestValidation.Seconds(body.FirstConnectSeconds, "firstConnectSeconds", 1, maxOverride)
            ?? RequestValidation.Seconds(body.IdleTimeoutSeconds, "idleTimeoutSeconds", 1, maxOverride)) is { } invalid)
        {
            return invalid;
        }

        var customerId = user.CustomerId();
        var sessionId = idempotencyKey is null ? SessionIds.New() : SessionIds.FromIdempotencyKey(customerId, idempotencyKey);
        if (body.Profile is { } profile && await ProfileEndpoints.RefuseForSession(grains, customerId, sessionId, profile) is { } profileProblem)
        {
            return profileProblem;
        }

        var request = new SessionRequest(customerId, body.NodePool, body.TimeoutSeconds, body.FirstConnectSeconds, body.IdleTimeoutSeconds,
            body.Profile is { } use ? new ProfileUse(use.Id!, use.Persist) : null)
        {
            Recording = body.Recording ?? false,
        };
        var waitSeconds = body.WaitSeconds ?? 0;
        var queued = await starter.StartAsync(request, sessionId, idempotencyKey, waitSeconds, context.RequestAborted);
        if (queued.Refusal is { } refusal)
        {
            var account = await grains.For<ICustomerGrain>(customerId).GetAccount();
            return SessionStartProblems.For(refusal, account?.Plan.ConcurrencyLimit ?? 0, account?.SessionsInUse ?? 0, queued.QueueLength, waitSeconds);
        }

        var result = queued.Start!;
        if (!result.Succeeded)
        {
            return SessionStartProblems.For(result);
        }

        SessionUrls? sessionUrls;
        using (UFBrowsersTracing.Start(UFBrowsersTracing.Spans.GatewayToken))
        {
            sessionUrls = urls.For(context.Request, result.Session!);
        }

        var response = SessionResponse.From(result.Session!, sessionUrls);
        return new CreatedSession(response, Replayed: result.Outcome == SessionStartOutcome.Replayed);
    }

    private static async Task<IResult> List(HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, GatewayUrls urls, string? status, int? limit, string? cursor)
    {
        if (!TryParseStatus(status, out var filter))
        {
            return ApiProblem.BadRequest("invalid_status", "status must be 'active' or 'ended'.");
        }

        if (RequestValidation.Page(limit, cursor, out var pageLimit, out var before) is { } invalid)
        {
            return invalid;
        }

        var page = await grains.For<Customers.ICustomerGrain>(user.CustomerId()).ListSessions(filter, pageLimit, before);
        var views = await Task.WhenAll(page.Sessions.Select(s => grains.For<ISessionGrain>(s.SessionId).Get()));
        var data = views.OfType<SessionView>().Select(v => SessionResponse.From(v, urls.For(request, v))).ToList();
        return TypedResults.Ok(new Page<SessionResponse>(data, page.NextBefore?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static async Task<IResult> Get(HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, GatewayUrls urls, string id)
    {
        var session = await OwnSession(user, grains, id);
        return session is null ? NotFound(id) : TypedResults.Ok(SessionResponse.From(session, urls.For(request, session)));
    }

    private static async Task<IResult> Events(ClaimsPrincipal user, IGrainFactory grains, string id)
    {
        if (await OwnSession(user, grains, id) is null || await grains.For<ISessionGrain>(id).GetEvents() is not { } log)
        {
            return NotFound(id);
        }

        return TypedResults.Ok(SessionEventsResponse.From(id, log));
    }

    private static async Task<IResult> End(ClaimsPrincipal user, IGrainFactory grains, string id)
    {
        var ended = SessionIds.IsWellFormed(id) ? await grains.For<ISessionGrain>(id).EndOwned(user.CustomerId(), EndReason.Client) : null;
        return ended is null ? NotFound(id) : TypedResults.Ok(SessionResponse.From(ended, null));
    }

    /// <summary>The session when it exists and belongs to the caller; another tenant's session is as unknown as a missing one.</summary>
    private static async Task<SessionView?> OwnSession(ClaimsPrincipal user, IGrainFactory grains, string id)
    {
        if (!SessionIds.IsWellFormed(id))
        {
            return null;
        }

        var session = await grains.For<ISessionGrain>(id).Get();
        return session is not null && session.CustomerId == user.CustomerId() ? session : null;
    }

    private static bool TryParseStatus(string? status, out SessionStatus? filter)
    {
        filter = status switch
        {
            "active" => SessionStatus.Active,
            "ended" => SessionStatus.Ended,
            _ => null,
        };
        return status is null || filter is not null;
    }

    private static ApiProblem NotFound(string id) => ApiProblem.NotFound($"No session '{id}'.");

    private sealed class CreatedSession(SessionResponse session, bool Replayed) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => StatusCodes.Status201Created;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            using var span = UFBrowsersTracing.Start(UFBrowsersTracing.Spans.Response);
            if (Replayed)
            {
                httpContext.Response.Headers["Idempotent-Replayed"] = "true";
            }

            await TypedResults.Created($"/v1/sessions/{session.Id}", session).ExecuteAsync(httpContext);
        }
    }
}
