namespace UFBrowsers.Profiles;

/// <summary>How the last attempt to save a profile at a session's end went (a failure is visible here, as the end itself succeeded).</summary>
[GenerateSerializer, Immutable, Alias("ufb.ProfileLastSave")]
public sealed record ProfileLastSave(
    [property: Id(0)] string SessionId,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] ProfileSaveOutcome Outcome,
    [property: Id(3)] long SizeBytes);
