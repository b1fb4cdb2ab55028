namespace UFBrowsers.Profiles;

/// <summary>A session's use of a saved profile: its state is put into the browser before the start is answered, and with
/// <paramref name="Persist"/> the browser's state at the end is saved back.</summary>
[GenerateSerializer, Immutable, Alias("ufb.ProfileUse")]
public sealed record ProfileUse(
    [property: Id(0)] string ProfileId,
    [property: Id(1)] bool Persist);
