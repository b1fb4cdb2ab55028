namespace UFBrowsers.ApiKeys;

/// <summary>What can be shown of an API key after its creation: never the secret.</summary>
[GenerateSerializer, Immutable, Alias("ufb.ApiKeyInfo")]
public sealed record ApiKeyInfo(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] DateTimeOffset? RevokedAt);
