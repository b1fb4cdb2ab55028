namespace UFBrowsers.ApiKeys;

/// <summary>A customer's API keys (key: customer id): issue, list, revoke.</summary>
[Alias("ufb.IApiKeyDirectoryGrain")]
public interface IApiKeyDirectoryGrain : IGrainWithStringKey
{
    [Alias("Issue")]
    Task<IssuedApiKey> Issue(string name);

    [Alias("List")]
    Task<IReadOnlyList<ApiKeyInfo>> List();

    /// <summary>Revokes one of this customer's keys; false when the customer has no such key.</summary>
    [Alias("Revoke")]
    Task<bool> Revoke(string keyId);
}
