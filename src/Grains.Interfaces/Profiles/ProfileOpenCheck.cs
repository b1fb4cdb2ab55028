namespace UFBrowsers.Profiles;

/// <summary>What opening a profile would answer now; <see cref="Holder"/> names the running session that persists into it when <see cref="ProfileOpenOutcome.InUse"/>.</summary>
[GenerateSerializer, Immutable, Alias("ufb.ProfileOpenCheck")]
public sealed record ProfileOpenCheck(
    [property: Id(0)] ProfileOpenOutcome Outcome,
    [property: Id(1)] string? Holder = null);
