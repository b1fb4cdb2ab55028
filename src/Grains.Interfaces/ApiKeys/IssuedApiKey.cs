namespace UFBrowsers.ApiKeys;

/// <summary>A new key with its plaintext token, which is returned this once and stored nowhere.</summary>
[GenerateSerializer, Immutable, Alias("ufb.IssuedApiKey")]
public sealed record IssuedApiKey(
    [property: Id(0)] ApiKeyInfo Info,
    [property: Id(1)] string Token);
