namespace UFBrowsers.Profiles;

public enum ProfileCreateOutcome
{
    Created = 0,
    /// <summary>The plan's number of profiles is reached.</summary>
    LimitReached = 1,
    UnknownCustomer = 2,
    /// <summary>Profiles cannot be stored on this installation (no encryption key configured).</summary>
    NotConfigured = 3,
}

[GenerateSerializer, Immutable, Alias("ufb.ProfileCreation")]
public sealed record ProfileCreation(
    [property: Id(0)] ProfileCreateOutcome Outcome,
    [property: Id(1)] ProfileView? Profile,
    [property: Id(2)] int Limit);
