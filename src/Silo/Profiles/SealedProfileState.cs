namespace UFBrowsers.Silo.Profiles;

/// <summary>A profile state as stored: the id of the key that sealed it, its nonce, and ciphertext followed by the GCM tag.</summary>
public sealed record SealedProfileState(string KeyId, byte[] Nonce, byte[] Sealed);
