using System.Security.Claims;
using UFBrowsers.Api.Auditing;
using UFBrowsers.Api.Authentication;
using UFBrowsers.Api.Contracts;
using UFBrowsers.Api.Problems;
using UFBrowsers.Grains.Recordings;
using UFBrowsers.Sessions;

namespace UFBrowsers.Api.Recordings;

internal static class RecordingEndpoints
{
    public static RouteGroupBuilder MapRecordingEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapGet("/sessions/{id}/recording", Get).WithName("GetSessionRecording").WithTags("Sessions")
            .RequireAuthorization(AuthPolicies.Customer).AddEndpointFilter<AuditFilter>()
            .WithSummary("The session's recording (rrweb events per page), while it records and after it ended")
            .Produces<RecordingResponse>().ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return v1;
    }

    private static async Task<IResult> Get(ClaimsPrincipal user, IGrainFactory grains, IRecordingStore store, string id, CancellationToken cancellationToken)
    {
        if (!SessionIds.IsWellFormed(id) || await grains.For<ISessionGrain>(id).Get() is not { } session || session.CustomerId != user.CustomerId())
        {
            return ApiProblem.NotFound($"No session '{id}'.");
        }

        if (await store.GetAsync(id, cancellationToken) is not { } info || info.CustomerId != session.CustomerId)
        {
            return new ApiProblem(StatusCodes.Status404NotFound, "recording_not_found", "Not found",
                $"Session '{id}' has no recording: it was not created with \"recording\": true, or its recording has expired.");
        }

        return new RecordingResult(info, await store.ReadChunksAsync(id, cancellationToken));
    }
}
