namespace UFBrowsers.Profiles;

/// <summary>A profile as its owner sees it: never its contents.</summary>
/// <param name="Version">The saved state's version: 0 before the first save, one more with each save.</param>
/// <param name="PersistingSessionId">The running session that will save into it at its end, if any.</param>
[GenerateSerializer, Immutable, Alias("ufb.ProfileView")]
public sealed record ProfileView(
    [property: Id(0)] string Id,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] string Name,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? UpdatedAt,
    [property: Id(5)] long Version,
    [property: Id(6)] long SizeBytes,
    [property: Id(7)] string? PersistingSessionId,
    [property: Id(8)] ProfileLastSave? LastSave);
