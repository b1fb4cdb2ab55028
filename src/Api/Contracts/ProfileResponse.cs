using UFBrowsers.Profiles;

namespace UFBrowsers.Api.Contracts;

/// <summary>
/// A saved profile (never its contents). <c>version</c> counts its saves; <c>persistingSessionId</c> is the running session
/// that will save into it at its end; <c>lastSave</c> says how the last save at a session's end went.
/// </summary>
public sealed record ProfileResponse(
    string Id,
    string Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset? UpdatedAt,
    long SizeBytes,
    long Version,
    string? PersistingSessionId,
    ProfileSaveResponse? LastSave)
{
    public static ProfileResponse From(ProfileView p) => new(
        p.Id, p.Name, p.CreatedAt, p.UpdatedAt, p.SizeBytes, p.Version, p.PersistingSessionId,
        p.LastSave is { } last ? ProfileSaveResponse.From(last) : null);
}

/// <summary>
/// A save at a session's end. <c>saved</c> false keeps the previous version; <c>code</c> says why:
/// <c>profile_too_large</c> (the state was over the plan's size per profile, as a 413 would say), <c>version_conflict</c>
/// (a newer version was stored meanwhile), <c>browser_state_unreadable</c> (the browser's state could not be read).
/// </summary>
public sealed record ProfileSaveResponse(string SessionId, DateTimeOffset At, bool Saved, string? Code, long SizeBytes)
{
    public static ProfileSaveResponse From(ProfileLastSave save) => new(save.SessionId, save.At, save.Outcome == ProfileSaveOutcome.Saved, save.Outcome switch
    {
        ProfileSaveOutcome.Saved => null,
        ProfileSaveOutcome.TooLarge => "profile_too_large",
        ProfileSaveOutcome.Conflict => "version_conflict",
        ProfileSaveOutcome.NotLeased => "lease_lost",
        ProfileSaveOutcome.NotFound => "profile_deleted",
        _ => "browser_state_unreadable",
    }, save.SizeBytes);
}
