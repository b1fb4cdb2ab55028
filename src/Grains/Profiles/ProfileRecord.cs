using UFBrowsers.Profiles;

namespace UFBrowsers.Grains.Profiles;

/// <summary>A stored profile without its state.</summary>
/// <param name="LeaseSessionId">The session that took the lease to persist into the profile, as recorded; it may have ended since (see <see cref="ProfileGrain"/>).</param>
public sealed record ProfileRecord(
    string ProfileId,
    string CustomerId,
    string Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset? UpdatedAt = null,
    long Version = 0,
    long SizeBytes = 0,
    string? LeaseSessionId = null,
    ProfileLastSave? LastSave = null);
