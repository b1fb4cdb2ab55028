using System.ComponentModel.DataAnnotations;
using UFBrowsers.Api.Contracts.Validation;
using UFBrowsers.ApiKeys;

namespace UFBrowsers.Api.Contracts;

/// <summary>An API key; <see cref="Key"/> (the secret token) is present only in the response that created it.</summary>
public sealed record ApiKeyResponse(string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, string? Key = null)
{
    public static ApiKeyResponse From(ApiKeyInfo k, string? token = null) => new(k.KeyId, k.Name, k.CreatedAt, k.RevokedAt, token);
}

public sealed record CreateApiKeyRequest([property: StringLength(200), PlainText] string? Name);
