namespace UFBrowsers.Silo.Profiles;

/// <summary>A stored profile state was sealed with a key that is no longer configured (removed too early in a rotation).</summary>
public sealed class ProfileKeyMissingException(string keyId)
    : Exception($"The profile state was encrypted with key '{keyId}', which is not configured in {ProfileOptions.Section}:EncryptionKeys.")
{
    public string KeyId { get; } = keyId;
}
