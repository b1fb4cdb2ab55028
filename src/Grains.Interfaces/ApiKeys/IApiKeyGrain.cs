namespace UFBrowsers.ApiKeys;

/// <summary>One API key (key: key id): its owner, the hash of its secret, and whether it is revoked.</summary>
[Alias("ufb.IApiKeyGrain")]
public interface IApiKeyGrain : IGrainWithStringKey
{
    [Alias("Register")]
    Task Register(string customerId, string name, byte[] secretHash);

    /// <summary>The owning customer id when the secret matches and the key is not revoked; otherwise null.</summary>
    [Alias("Authenticate")]
    Task<string?> Authenticate(string secret);

    [Alias("Revoke")]
    Task Revoke();
}
