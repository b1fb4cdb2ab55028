namespace UFBrowsers.Grains.Profiles;

/// <summary>A profile's saved state (a serialized <see cref="ProfileState"/>; empty at version 0) as read back, decrypted.</summary>
public sealed record StoredProfileState(long Version, byte[] State);
