namespace UFBrowsers.Profiles;

public enum ProfileOpenOutcome
{
    Opened = 0,
    /// <summary>No such profile, or another customer's (the same answer: ids of others are not disclosed).</summary>
    NotFound = 1,
    /// <summary>Another running session holds the profile to persist it.</summary>
    InUse = 2,
    /// <summary>Profiles cannot be stored on this installation (no encryption key configured).</summary>
    NotConfigured = 3,
}

/// <summary>A profile opened for a session: its saved state (serialized <c>ProfileState</c>, empty before the first save) and version.</summary>
[GenerateSerializer, Immutable, Alias("ufb.ProfileOpening")]
public sealed record ProfileOpening(
    [property: Id(0)] ProfileOpenOutcome Outcome,
    [property: Id(1)] byte[]? State = null,
    [property: Id(2)] long Version = 0);
