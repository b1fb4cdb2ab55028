using UFBrowsers.Profiles;

namespace UFBrowsers.Grains.Profiles;

/// <summary>
/// Where profiles are kept (PostgreSQL, encrypted at rest; memory in tests). Every change is a compare-and-set on the row,
/// so two activations of a profile's grain (a silo thought dead) can never both win a lease or both save over one version.
/// </summary>
public interface IProfileStore
{
    /// <summary>False when states cannot be stored (PostgreSQL without an encryption key): profiles are then refused.</summary>
    bool CanStoreState { get; }

    /// <summary>Adds the profile unless its customer already has <paramref name="maxProfiles"/>; false then.</summary>
    Task<bool> CreateAsync(ProfileRecord profile, int maxProfiles);

    Task<ProfileRecord?> GetAsync(string profileId);

    /// <summary>The customer's profiles, oldest first.</summary>
    Task<IReadOnlyList<ProfileRecord>> ListAsync(string customerId);

    /// <summary>
    /// Gives the lease to <paramref name="sessionId"/> if it is still held by <paramref name="currentHolder"/> (null: free), and
    /// remembers the version it starts from. False when the holder changed meanwhile.
    /// </summary>
    Task<bool> TryLeaseAsync(string profileId, string? currentHolder, string sessionId, DateTimeOffset at);

    Task<StoredProfileState?> ReadStateAsync(string profileId);

    /// <summary>
    /// Writes a new version and releases the lease, only if <paramref name="sessionId"/> holds the lease and the stored version
    /// is still the one its lease started from; false otherwise (nothing written).
    /// </summary>
    Task<bool> SaveStateAsync(string profileId, string sessionId, byte[] state, ProfileLastSave lastSave);

    /// <summary>Releases the lease if <paramref name="sessionId"/> holds it, recording <paramref name="lastSave"/> when given.</summary>
    Task ReleaseAsync(string profileId, string sessionId, ProfileLastSave? lastSave);

    /// <summary>Deletes the profile and its state if its lease is still held by <paramref name="currentHolder"/> (null: free).</summary>
    Task<bool> DeleteAsync(string profileId, string? currentHolder);
}
