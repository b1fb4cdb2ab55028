using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using UFBrowsers.Api.Auditing;
using UFBrowsers.Api.Authentication;
using UFBrowsers.Api.Contracts;
using UFBrowsers.Api.Problems;
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
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        sessions.MapGet("/", List).WithName("ListSessions")
            .WithSummary("Sessions newest first, optionally by status")
            .Produces<Page<SessionResponse>>().ProducesProblem(StatusCodes.Status400BadRequest);
        sessions.MapGet("/{id}", Get).WithName("GetSession")
            .WithSummary("One session").Produces<SessionResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        sessions.MapPost("/{id}/end", End).WithName("EndSession")
            .WithSummary("Ends and bills the session; again is a no-op").Produces<SessionResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        sessions.MapDelete("/{id}", End).WithName("DeleteSession")
            .WithSummary("Same as POST /v1/sessions/{id}/end").Produces<SessionResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    private static async Task<IResult> Create(
        ClaimsPrincipal user,
        IGrainFactory grains,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        [FromBody] CreateSessionRequest? body)
    {
        body ??= new CreateSessionRequest();
        if ((RequestValidation.IdempotencyKey(idempotencyKey, required: false) ?? RequestValidation.NodePool(body.NodePool)
            ?? RequestValidation.TimeoutSeconds(body.TimeoutSeconds)) is { } invalid)
        {
            return invalid;
        }

        var customerId = user.CustomerId();
        var sessionId = idempotencyKey is null ? SessionIds.New() : SessionIds.FromIdempotencyKey(customerId, idempotencyKey);
        var result = await grains.GetGrain<ISessionGrain>(sessionId)
            .Start(new SessionRequest(customerId, body.NodePool, body.TimeoutSeconds));
        if (!result.Succeeded)
        {
            return SessionStartProblems.For(result);
        }

        var response = SessionResponse.From(result.Session!);
        return new CreatedSession(response, Replayed: result.Outcome == SessionStartOutcome.Replayed);
    }

    private static async Task<IResult> List(ClaimsPrincipal user, IGrainFactory grains, string? status, int? limit, string? cursor)
    {
        if (!TryParseStatus(status, out var filter))
        {
            return ApiProblem.BadRequest("invalid_status", "status must be 'active' or 'ended'.");
        }

        if (RequestValidation.Page(limit, cursor, out var pageLimit, out var before) is { } invalid)
        {
            return invalid;
        }

        var page = await grains.GetGrain<Customers.ICustomerGrain>(user.CustomerId()).ListSessions(filter, pageLimit, before);
        var views = await Task.WhenAll(page.Sessions.Select(s => grains.GetGrain<ISessionGrain>(s.SessionId).Get()));
        var data = views.OfType<SessionView>().Select(SessionResponse.From).ToList();
        return TypedResults.Ok(new Page<SessionResponse>(data, page.NextBefore?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static async Task<IResult> Get(ClaimsPrincipal user, IGrainFactory grains, string id)
    {
        var session = await OwnSession(user, grains, id);
        return session is null ? NotFound(id) : TypedResults.Ok(SessionResponse.From(session));
    }

    private static async Task<IResult> End(ClaimsPrincipal user, IGrainFactory grains, string id)
    {
        var session = await OwnSession(user, grains, id);
        if (session is null)
        {
            return NotFound(id);
        }

        var ended = await grains.GetGrain<ISessionGrain>(id).End(EndReason.Client);
        return TypedResults.Ok(SessionResponse.From(ended!));
    }

    /// <summary>The session when it exists and belongs to the caller; another tenant's session is as unknown as a missing one.</summary>
    private static async Task<SessionView?> OwnSession(ClaimsPrincipal user, IGrainFactory grains, string id)
    {
        if (!SessionIds.IsWellFormed(id))
        {
            return null;
        }

        var session = await grains.GetGrain<ISessionGrain>(id).Get();
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

        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (Replayed)
            {
                httpContext.Response.Headers["Idempotent-Replayed"] = "true";
            }

            return TypedResults.Created($"/v1/sessions/{session.Id}", session).ExecuteAsync(httpContext);
        }
    }
}
