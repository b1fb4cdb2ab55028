using Npgsql;
using UFBrowsers.Grains.Profiles;
using UFBrowsers.Profiles;
using UFBrowsers.Silo.Profiles;

namespace UFBrowsers.Silo.Persistence;

/// <summary>
/// Profiles in PostgreSQL (<c>profiles</c>, migration 0009), states sealed by <see cref="ProfileCipher"/>. Leases, saves and
/// deletions are single-statement compare-and-sets on the row; creation counts the customer's profiles under a
/// per-customer advisory lock, in the transaction that inserts.
/// </summary>
public sealed class PostgresProfileStore(NpgsqlDataSource dataSource, ProfileCipher cipher) : IProfileStore
{
    private const string Columns = """
        profile_id, customer_id, name, created_at, updated_at, version, size_bytes, lease_session_id,
        last_save_session_id, last_save_at, last_save_outcome, last_save_size_bytes
        """;

    public bool CanStoreState => cipher.CanSeal;

    public async Task<bool> CreateAsync(ProfileRecord profile, int maxProfiles)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('ufb.profiles:' || $1, 0))", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue(profile.CustomerId);
            await lockCommand.ExecuteNonQueryAsync();
        }

        await using var insert = new NpgsqlCommand("""
            INSERT INTO profiles (profile_id, customer_id, name, created_at)
            SELECT $1, $2, $3, $4
            WHERE (SELECT count(*) FROM profiles WHERE customer_id = $2) < $5
            """, connection, transaction);
        insert.Parameters.AddWithValue(profile.ProfileId);
        insert.Parameters.AddWithValue(profile.CustomerId);
        insert.Parameters.AddWithValue(profile.Name);
        insert.Parameters.AddWithValue(profile.CreatedAt.ToUniversalTime());
        insert.Parameters.AddWithValue((long)maxProfiles);
        var created = await insert.ExecuteNonQueryAsync() == 1;
        await transaction.CommitAsync();
        return created;
    }

    public async Task<ProfileRecord?> GetAsync(string profileId)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM profiles WHERE profile_id = $1");
        command.Parameters.AddWithValue(profileId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<ProfileRecord>> ListAsync(string customerId)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM profiles WHERE customer_id = $1 ORDER BY sequence");
        command.Parameters.AddWithValue(customerId);
        await using var reader = await command.ExecuteReaderAsync();
        var profiles = new List<ProfileRecord>();
        while (await reader.ReadAsync())
        {
            profiles.Add(Read(reader));
        }

        return profiles;
    }

    public async Task<bool> TryLeaseAsync(string profileId, string? currentHolder, string sessionId, DateTimeOffset at)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE profiles SET lease_session_id = $3, lease_version = version, lease_acquired_at = $4
            WHERE profile_id = $1 AND lease_session_id IS NOT DISTINCT FROM $2
            """);
        command.Parameters.AddWithValue(profileId);
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = currentHolder, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Varchar });
        command.Parameters.AddWithValue(sessionId);
        command.Parameters.AddWithValue(at.ToUniversalTime());
        return await command.ExecuteNonQueryAsync() == 1;
    }

    public async Task<StoredProfileState?> ReadStateAsync(string profileId)
    {
        await using var command = dataSource.CreateCommand("SELECT customer_id, version, key_id, nonce, state FROM profiles WHERE profile_id = $1");
        command.Parameters.AddWithValue(profileId);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        var version = reader.GetInt64(1);
        if (reader.IsDBNull(4))
        {
            return new StoredProfileState(version, []);
        }

        var sealedState = new SealedProfileState(reader.GetString(2), reader.GetFieldValue<byte[]>(3), reader.GetFieldValue<byte[]>(4));
        return new StoredProfileState(version, cipher.Open(sealedState, profileId, reader.GetString(0), version));
    }

    public async Task<bool> SaveStateAsync(string profileId, string sessionId, byte[] state, ProfileLastSave lastSave)
    {
        // The new version is sealed with its own number as associated data, so the version it starts from is read first;
        // the update then holds only if nothing changed since.
        await using var read = dataSource.CreateCommand("SELECT customer_id, lease_version FROM profiles WHERE profile_id = $1 AND lease_session_id = $2");
        read.Parameters.AddWithValue(profileId);
        read.Parameters.AddWithValue(sessionId);
        string customerId;
        long baseVersion;
        await using (var reader = await read.ExecuteReaderAsync())
        {
            if (!await reader.ReadAsync())
            {
                return false;
            }

            (customerId, baseVersion) = (reader.GetString(0), reader.GetInt64(1));
        }

        var sealedState = cipher.Seal(state, profileId, customerId, baseVersion + 1);
        await using var command = dataSource.CreateCommand("""
            UPDATE profiles SET version = version + 1, key_id = $4, nonce = $5, state = $6, size_bytes = $7, updated_at = $8,
                lease_session_id = NULL, lease_version = NULL, lease_acquired_at = NULL,
                last_save_session_id = $2, last_save_at = $8, last_save_outcome = $9, last_save_size_bytes = $7
            WHERE profile_id = $1 AND lease_session_id = $2 AND version = $3 AND lease_version = $3
            """);
        command.Parameters.AddWithValue(profileId);
        command.Parameters.AddWithValue(sessionId);
        command.Parameters.AddWithValue(baseVersion);
        command.Parameters.AddWithValue(sealedState.KeyId);
        command.Parameters.AddWithValue(sealedState.Nonce);
        command.Parameters.AddWithValue(sealedState.Sealed);
        command.Parameters.AddWithValue(lastSave.SizeBytes);
        command.Parameters.AddWithValue(lastSave.At.ToUniversalTime());
        command.Parameters.AddWithValue(OutcomeName(lastSave.Outcome));
        return await command.ExecuteNonQueryAsync() == 1;
    }

    public async Task ReleaseAsync(string profileId, string sessionId, ProfileLastSave? lastSave)
    {
        await using var command = dataSource.CreateCommand(lastSave is null
            ? "UPDATE profiles SET lease_session_id = NULL, lease_version = NULL, lease_acquired_at = NULL WHERE profile_id = $1 AND lease_session_id = $2"
            : """
              UPDATE profiles SET lease_session_id = NULL, lease_version = NULL, lease_acquired_at = NULL,
                  last_save_session_id = $2, last_save_at = $3, last_save_outcome = $4, last_save_size_bytes = $5
              WHERE profile_id = $1 AND lease_session_id = $2
              """);
        command.Parameters.AddWithValue(profileId);
        command.Parameters.AddWithValue(sessionId);
        if (lastSave is not null)
        {
            command.Parameters.AddWithValue(lastSave.At.ToUniversalTime());
            command.Parameters.AddWithValue(OutcomeName(lastSave.Outcome));
            command.Parameters.AddWithValue(lastSave.SizeBytes);
        }

        await command.ExecuteNonQueryAsync();
    }

    public async Task<bool> DeleteAsync(string profileId, string? currentHolder)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM profiles WHERE profile_id = $1 AND lease_session_id IS NOT DISTINCT FROM $2");
        command.Parameters.AddWithValue(profileId);
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = currentHolder, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Varchar });
        return await command.ExecuteNonQueryAsync() == 1;
    }

    private static ProfileRecord Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetFieldValue<DateTimeOffset>(3),
        reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
        reader.GetInt64(5),
        reader.GetInt64(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.IsDBNull(8) ? null : new ProfileLastSave(reader.GetString(8), reader.GetFieldValue<DateTimeOffset>(9), ParseOutcome(reader.GetString(10)), reader.GetInt64(11)));

    private static string OutcomeName(ProfileSaveOutcome outcome) => outcome switch
    {
        ProfileSaveOutcome.Saved => "saved",
        ProfileSaveOutcome.TooLarge => "too_large",
        ProfileSaveOutcome.Conflict => "conflict",
        ProfileSaveOutcome.NotLeased => "not_leased",
        ProfileSaveOutcome.NotFound => "not_found",
        ProfileSaveOutcome.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    private static ProfileSaveOutcome ParseOutcome(string name) => name switch
    {
        "saved" => ProfileSaveOutcome.Saved,
        "too_large" => ProfileSaveOutcome.TooLarge,
        "conflict" => ProfileSaveOutcome.Conflict,
        "not_leased" => ProfileSaveOutcome.NotLeased,
        "not_found" => ProfileSaveOutcome.NotFound,
        _ => ProfileSaveOutcome.Failed,
    };
}
