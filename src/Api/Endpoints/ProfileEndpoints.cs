using System.Security.Claims;
using UFBrowsers.Api.Auditing;
using UFBrowsers.Api.Authentication;
using UFBrowsers.Api.Contracts;
using UFBrowsers.Api.Problems;
using UFBrowsers.Profiles;

namespace UFBrowsers.Api.Endpoints;

internal static class ProfileEndpoints
{
    public static RouteGroupBuilder MapProfileEndpoints(this RouteGroupBuilder v1)
    {
        var profiles = v1.MapGroup("/profiles").RequireAuthorization(AuthPolicies.Customer).AddEndpointFilter<AuditFilter>().WithTags("Profiles")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        profiles.MapPost("/", Create).WithName("CreateProfile")
            .WithSummary("Creates an empty browser profile (cookies and localStorage saved across sessions), within the plan's number")
            .Produces<ProfileResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status501NotImplemented);
        profiles.MapGet("/", List).WithName("ListProfiles")
            .WithSummary("The account's profiles, oldest first")
            .Produces<Page<ProfileResponse>>();
        profiles.MapGet("/{id}", Get).WithName("GetProfile")
            .WithSummary("One profile: size, version, the session persisting into it, how its last save went")
            .Produces<ProfileResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        profiles.MapDelete("/{id}", Delete).WithName("DeleteProfile")
            .WithSummary("Deletes a profile and its saved state")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return v1;
    }

    /// <summary>
    /// Why a session may not start with this profile, checked before anything is held or a browser taken: a malformed,
    /// unknown or foreign id (another tenant's profile is as unknown as a missing one), or one another running session
    /// persists into. The session's own start hook checks again, since that can change in between.
    /// </summary>
    public static async Task<ApiProblem?> RefuseForSession(IGrainFactory grains, string customerId, string sessionId, SessionProfileRequest profile)
    {
        if (!ProfileIds.IsWellFormed(profile.Id))
        {
            return ApiProblem.BadRequest("invalid_profile", "profile.id must be a profile id (prf_ and 32 hex digits).");
        }

        var check = await grains.For<IProfileGrain>(profile.Id!).CheckOpen(customerId, sessionId, profile.Persist);
        return check.Outcome switch
        {
            ProfileOpenOutcome.NotFound => ProfileProblems.NotFound($"No profile '{profile.Id}'."),
            ProfileOpenOutcome.InUse => ProfileProblems.InUse(
                $"Profile '{profile.Id}' is in use by session {check.Holder}, which persists into it; end that session, or start this one with persist: false."),
            ProfileOpenOutcome.NotConfigured => ProfileProblems.NotConfigured,
            _ => null,
        };
    }

    private static async Task<IResult> Create(ClaimsPrincipal user, IGrainFactory grains, CreateProfileRequest body)
    {
        var creation = await grains.For<ICustomerProfilesGrain>(user.CustomerId()).Create(body.Name!.Trim());
        return creation.Outcome switch
        {
            ProfileCreateOutcome.Created => TypedResults.Created($"/v1/profiles/{creation.Profile!.Id}", ProfileResponse.From(creation.Profile)),
            ProfileCreateOutcome.LimitReached => ApiProblem.Unprocessable("profile_limit_reached",
                $"The plan includes {creation.Limit} profiles, all in use; delete one first."),
            ProfileCreateOutcome.NotConfigured => ProfileProblems.NotConfigured,
            _ => ApiProblem.NotFound("The account no longer exists."),
        };
    }

    private static async Task<IResult> List(ClaimsPrincipal user, IGrainFactory grains)
    {
        var profiles = await grains.For<ICustomerProfilesGrain>(user.CustomerId()).List();
        return TypedResults.Ok(new Page<ProfileResponse>(profiles.Select(ProfileResponse.From).ToList(), null));
    }

    private static async Task<IResult> Get(ClaimsPrincipal user, IGrainFactory grains, string id)
    {
        var profile = ProfileIds.IsWellFormed(id) ? await grains.For<IProfileGrain>(id).Get(user.CustomerId()) : null;
        return profile is null ? ProfileProblems.NotFound($"No profile '{id}'.") : TypedResults.Ok(ProfileResponse.From(profile));
    }

    private static async Task<IResult> Delete(ClaimsPrincipal user, IGrainFactory grains, string id)
    {
        var outcome = ProfileIds.IsWellFormed(id) ? await grains.For<IProfileGrain>(id).Delete(user.CustomerId()) : ProfileDeletion.NotFound;
        return outcome switch
        {
            ProfileDeletion.Deleted => TypedResults.NoContent(),
            ProfileDeletion.InUse => ProfileProblems.InUse($"Profile '{id}' is in use by a session that persists into it; end that session first."),
            _ => ProfileProblems.NotFound($"No profile '{id}'."),
        };
    }
}
