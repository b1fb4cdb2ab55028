using UFBrowsers.Grains.Profiles;
using UFBrowsers.Profiles;

namespace UFBrowsers.Silo.Persistence.Memory;

/// <summary>Profiles in process memory, for tests and throwaway runs: the same compare-and-sets as PostgreSQL, no encryption (nothing is at rest).</summary>
public sealed class InMemoryProfileStore : IProfileStore
{
    private readonly Dictionary<string, Row> _rows = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _sequence;

    public bool CanStoreState => true;

    public Task<bool> CreateAsync(ProfileRecord profile, int maxProfiles)
    {
        lock (_gate)
        {
            if (_rows.Values.Count(r => r.Record.CustomerId == profile.CustomerId) >= maxProfiles || _rows.ContainsKey(profile.ProfileId))
            {
                return Task.FromResult(false);
            }

            _rows[profile.ProfileId] = new Row(profile, ++_sequence, [], null);
            return Task.FromResult(true);
        }
    }

    public Task<ProfileRecord?> GetAsync(string profileId)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.GetValueOrDefault(profileId)?.Record);
        }
    }

    public Task<IReadOnlyList<ProfileRecord>> ListAsync(string customerId)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ProfileRecord>>(
                _rows.Values.Where(r => r.Record.CustomerId == customerId).OrderBy(r => r.Sequence).Select(r => r.Record).ToList());
        }
    }

    public Task<bool> TryLeaseAsync(string profileId, string? currentHolder, string sessionId, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (!_rows.TryGetValue(profileId, out var row) || row.Record.LeaseSessionId != currentHolder)
            {
                return Task.FromResult(false);
            }

            _rows[profileId] = row with { Record = row.Record with { LeaseSessionId = sessionId }, LeaseVersion = row.Record.Version };
            return Task.FromResult(true);
        }
    }

    public Task<StoredProfileState?> ReadStateAsync(string profileId)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.TryGetValue(profileId, out var row) ? new StoredProfileState(row.Record.Version, row.State) : null);
        }
    }

    public Task<bool> SaveStateAsync(string profileId, string sessionId, byte[] state, ProfileLastSave lastSave)
    {
        lock (_gate)
        {
            if (!_rows.TryGetValue(profileId, out var row) || row.Record.LeaseSessionId != sessionId || row.LeaseVersion != row.Record.Version)
            {
                return Task.FromResult(false);
            }

            _rows[profileId] = new Row(
                row.Record with
                {
                    Version = row.Record.Version + 1,
                    SizeBytes = state.LongLength,
                    UpdatedAt = lastSave.At,
                    LeaseSessionId = null,
                    LastSave = lastSave,
                },
                row.Sequence,
                state.ToArray(),
                null);
            return Task.FromResult(true);
        }
    }

    public Task ReleaseAsync(string profileId, string sessionId, ProfileLastSave? lastSave)
    {
        lock (_gate)
        {
            if (_rows.TryGetValue(profileId, out var row) && row.Record.LeaseSessionId == sessionId)
            {
                _rows[profileId] = row with { Record = row.Record with { LeaseSessionId = null, LastSave = lastSave ?? row.Record.LastSave }, LeaseVersion = null };
            }

            return Task.CompletedTask;
        }
    }

    public Task<bool> DeleteAsync(string profileId, string? currentHolder)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.TryGetValue(profileId, out var row) && row.Record.LeaseSessionId == currentHolder && _rows.Remove(profileId));
        }
    }

    private sealed record Row(ProfileRecord Record, long Sequence, byte[] State, long? LeaseVersion);
}
