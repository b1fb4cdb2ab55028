using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using UFBrowsers.Grains.Profiles;
using UFBrowsers.Persistence.Tests.Infrastructure;
using UFBrowsers.Profiles;
using UFBrowsers.Silo.Persistence;
using UFBrowsers.Silo.Persistence.Memory;
using UFBrowsers.Silo.Profiles;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Persistence.Tests;

/// <summary>
/// Profile rows in both stores: leases and saves are compare-and-sets, a save never goes over a newer version; in
/// PostgreSQL the state is sealed with AES-GCM, bound to its row, and keys rotate.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ProfileStoreTests(PostgresServer server)
{
    public static TheoryData<string> Stores => ["memory", "postgres"];

    private static readonly DateTimeOffset At = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] State = Encoding.UTF8.GetBytes("{\"format\":1,\"cookies\":[{\"name\":\"sid\",\"value\":\"very-secret-session-token\"}]}");

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_customer_gets_no_more_profiles_than_its_limit_and_others_are_not_counted(string kind)
    {
        var (store, _) = await NewStore(kind);
        var customer = NewCustomer();

        var created = new[]
        {
            await store.CreateAsync(Profile(customer), maxProfiles: 2),
            await store.CreateAsync(Profile(customer), maxProfiles: 2),
            await store.CreateAsync(Profile(customer), maxProfiles: 2),
            await store.CreateAsync(Profile(NewCustomer()), maxProfiles: 2),
        };

        Assert.Equal([true, true, false, true], created);
        Assert.Equal(2, (await store.ListAsync(customer)).Count);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_lease_changes_hands_only_from_the_holder_the_caller_saw(string kind)
    {
        var (store, _) = await NewStore(kind);
        var profile = Profile(NewCustomer());
        await store.CreateAsync(profile, 10);

        Assert.True(await store.TryLeaseAsync(profile.ProfileId, null, "ses_a", At));
        Assert.False(await store.TryLeaseAsync(profile.ProfileId, null, "ses_b", At));
        Assert.False(await store.TryLeaseAsync(profile.ProfileId, "ses_x", "ses_b", At));
        Assert.Equal("ses_a", (await store.GetAsync(profile.ProfileId))!.LeaseSessionId);
        Assert.False(await store.DeleteAsync(profile.ProfileId, null));
        Assert.True(await store.TryLeaseAsync(profile.ProfileId, "ses_a", "ses_b", At));
        Assert.Equal("ses_b", (await store.GetAsync(profile.ProfileId))!.LeaseSessionId);
        Assert.True(await store.DeleteAsync(profile.ProfileId, "ses_b"));
        Assert.Null(await store.GetAsync(profile.ProfileId));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Only_the_lease_holder_saves_a_new_version_and_the_save_gives_the_lease_back(string kind)
    {
        var (store, _) = await NewStore(kind);
        var profile = Profile(NewCustomer());
        await store.CreateAsync(profile, 10);
        await store.TryLeaseAsync(profile.ProfileId, null, "ses_a", At);

        Assert.False(await store.SaveStateAsync(profile.ProfileId, "ses_b", State, Saved("ses_b")));
        Assert.True(await store.SaveStateAsync(profile.ProfileId, "ses_a", State, Saved("ses_a")));
        Assert.False(await store.SaveStateAsync(profile.ProfileId, "ses_a", [1, 2, 3], Saved("ses_a")));

        var row = (await store.GetAsync(profile.ProfileId))!;
        Assert.Equal((1L, (long)State.Length, (string?)null), (row.Version, row.SizeBytes, row.LeaseSessionId));
        Assert.Equal(new ProfileLastSave("ses_a", At, ProfileSaveOutcome.Saved, State.Length), row.LastSave);
        var stored = (await store.ReadStateAsync(profile.ProfileId))!;
        Assert.Equal(1, stored.Version);
        Assert.Equal(State, stored.State);
    }

    [Fact]
    public async Task A_save_never_goes_over_a_version_stored_after_its_lease_began()
    {
        var (store, connectionString) = await NewStore("postgres");
        var profile = Profile(NewCustomer());
        await store.CreateAsync(profile, 10);
        await store.TryLeaseAsync(profile.ProfileId, null, "ses_a", At);
        await store.SaveStateAsync(profile.ProfileId, "ses_a", State, Saved("ses_a"));
        await store.TryLeaseAsync(profile.ProfileId, null, "ses_b", At);
        // Another writer stored version 2 meanwhile (a second activation that took a lease it should not have).
        await Execute(connectionString, $"UPDATE profiles SET version = 2 WHERE profile_id = '{profile.ProfileId}'");

        Assert.False(await store.SaveStateAsync(profile.ProfileId, "ses_b", [9, 9, 9], Saved("ses_b")));

        var row = (await store.GetAsync(profile.ProfileId))!;
        Assert.Equal((2L, "ses_b"), (row.Version, row.LeaseSessionId));
        Assert.Equal(("ses_a", (long)State.Length), (row.LastSave!.SessionId, row.SizeBytes));
    }

    [Fact]
    public async Task The_state_is_sealed_at_rest_with_the_active_key_and_never_stored_in_the_clear()
    {
        var (store, connectionString) = await NewStore("postgres");
        var profile = Profile(NewCustomer());
        await store.CreateAsync(profile, 10);
        await store.TryLeaseAsync(profile.ProfileId, null, "ses_a", At);
        await store.SaveStateAsync(profile.ProfileId, "ses_a", State, Saved("ses_a"));

        var (keyId, nonce, sealedState) = (await Sql.QueryAsync(connectionString, $"SELECT key_id, nonce, state FROM profiles WHERE profile_id = '{profile.ProfileId}'",
            r => (r.GetString(0), r.GetFieldValue<byte[]>(1), r.GetFieldValue<byte[]>(2)))).Single();
        Assert.Equal("k1", keyId);
        Assert.Equal(12, nonce.Length);
        Assert.Equal(State.Length + 16, sealedState.Length);
        Assert.Equal(-1, sealedState.AsSpan().IndexOf("very-secret-session-token"u8));
        var dump = await Sql.QueryAsync(connectionString, "SELECT encode(convert_to(profiles::text, 'UTF8'), 'escape') FROM profiles", r => r.GetString(0));
        Assert.DoesNotContain(dump, row => row.Contains("very-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sealed_state_moved_to_another_tenants_row_or_altered_does_not_open()
    {
        var (store, connectionString) = await NewStore("postgres");
        var (victim, attacker) = (Profile(NewCustomer()), Profile(NewCustomer()));
        foreach (var profile in new[] { victim, attacker })
        {
            await store.CreateAsync(profile, 10);
            await store.TryLeaseAsync(profile.ProfileId, null, "ses_" + profile.ProfileId, At);
            await store.SaveStateAsync(profile.ProfileId, "ses_" + profile.ProfileId, profile == victim ? State : [7], Saved("s"));
        }

        // Someone with write access to the table copies the victim's sealed state into the attacker's row.
        await Execute(connectionString, $"""
            UPDATE profiles a SET key_id = v.key_id, nonce = v.nonce, state = v.state
            FROM profiles v WHERE a.profile_id = '{attacker.ProfileId}' AND v.profile_id = '{victim.ProfileId}'
            """);
        await Assert.ThrowsAnyAsync<CryptographicException>(() => store.ReadStateAsync(attacker.ProfileId));

        await Execute(connectionString, $"UPDATE profiles SET state = set_byte(state, 0, get_byte(state, 0) # 1) WHERE profile_id = '{victim.ProfileId}'");
        await Assert.ThrowsAnyAsync<CryptographicException>(() => store.ReadStateAsync(victim.ProfileId));
    }

    [Fact]
    public async Task Keys_rotate_old_states_open_with_their_own_key_and_the_next_save_uses_the_new_one()
    {
        var connectionString = await NewDatabase();
        var dataSource = NpgsqlDataSource.Create(connectionString);
        var before = new PostgresProfileStore(dataSource, Cipher(("k1", Key(1))));
        var profile = Profile(NewCustomer());
        await before.CreateAsync(profile, 10);
        await before.TryLeaseAsync(profile.ProfileId, null, "ses_a", At);
        await before.SaveStateAsync(profile.ProfileId, "ses_a", State, Saved("ses_a"));

        var rotated = new PostgresProfileStore(dataSource, Cipher(("k1", Key(1)), ("k2", Key(2)), active: "k2"));
        Assert.Equal(State, (await rotated.ReadStateAsync(profile.ProfileId))!.State);
        await rotated.TryLeaseAsync(profile.ProfileId, null, "ses_b", At);
        await rotated.SaveStateAsync(profile.ProfileId, "ses_b", State, Saved("ses_b"));
        Assert.Equal(["k2"], await Sql.QueryAsync(connectionString, $"SELECT key_id FROM profiles WHERE profile_id = '{profile.ProfileId}'", r => r.GetString(0)));

        var withoutOld = new PostgresProfileStore(dataSource, Cipher(("k2", Key(2))));
        Assert.Equal(State, (await withoutOld.ReadStateAsync(profile.ProfileId))!.State);
        var stale = Profile(NewCustomer());
        await before.CreateAsync(stale, 10);
        await before.TryLeaseAsync(stale.ProfileId, null, "ses_c", At);
        await before.SaveStateAsync(stale.ProfileId, "ses_c", State, Saved("ses_c"));
        var missing = await Assert.ThrowsAsync<ProfileKeyMissingException>(() => withoutOld.ReadStateAsync(stale.ProfileId));
        Assert.Equal("k1", missing.KeyId);
    }

    [Fact]
    public async Task Keys_that_are_not_32_bytes_or_an_active_key_not_configured_refuse_to_start_without_quoting_the_key()
    {
        var validation = new ProfileOptionsValidation();
        var shortKey = Convert.ToBase64String(new byte[16]);
        var results = new[]
        {
            validation.Validate(null, new ProfileOptions { EncryptionKeys = { ["k1"] = shortKey } }),
            validation.Validate(null, new ProfileOptions { EncryptionKeys = { ["k1"] = "not base64!" } }),
            validation.Validate(null, new ProfileOptions { EncryptionKeys = { ["k1"] = Key(1) }, ActiveEncryptionKeyId = "k9" }),
            validation.Validate(null, new ProfileOptions { EncryptionKeys = { ["k1"] = Key(1), ["k2"] = Key(2) } }),
        };

        Assert.All(results, r => Assert.True(r.Failed));
        Assert.DoesNotContain(results, r => r.FailureMessage!.Contains(shortKey, StringComparison.Ordinal));
        Assert.True(validation.Validate(null, new ProfileOptions()).Succeeded);
        Assert.False(new ProfileCipher(Options.Create(new ProfileOptions())).CanSeal);
    }

    [Fact]
    public async Task A_save_while_PostgreSQL_is_down_fails_and_leaves_the_stored_version_as_it_was()
    {
        var (store, _) = await NewStore("postgres");
        var profile = Profile(NewCustomer());
        await store.CreateAsync(profile, 10);
        await store.TryLeaseAsync(profile.ProfileId, null, "ses_a", At);
        await store.SaveStateAsync(profile.ProfileId, "ses_a", State, Saved("ses_a"));
        await store.TryLeaseAsync(profile.ProfileId, null, "ses_b", At);

        await server.StopAsync();
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => store.SaveStateAsync(profile.ProfileId, "ses_b", [1, 2, 3], Saved("ses_b")));
        }
        finally
        {
            await server.StartAsync();
        }

        NpgsqlConnection.ClearAllPools();
        var row = (await store.GetAsync(profile.ProfileId))!;
        Assert.Equal((1L, "ses_b"), (row.Version, row.LeaseSessionId));
        Assert.Equal(State, (await store.ReadStateAsync(profile.ProfileId))!.State);
    }

    private async Task<(IProfileStore Store, string ConnectionString)> NewStore(string kind)
    {
        if (kind == "memory")
        {
            return (new InMemoryProfileStore(), "");
        }

        var connectionString = await NewDatabase();
        return (new PostgresProfileStore(NpgsqlDataSource.Create(connectionString), Cipher(("k1", Key(1)))), connectionString);
    }

    private async Task<string> NewDatabase()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await new PostgresMigrator(Options.Create(new PostgresOptions { ConnectionString = connectionString }), NullLogger<PostgresMigrator>.Instance)
            .MigrateAsync(CancellationToken.None);
        return connectionString;
    }

    private static ProfileCipher Cipher(params (string Id, string Key)[] keys) => Cipher(keys, null);

    private static ProfileCipher Cipher((string Id, string Key) first, (string Id, string Key) second, string active) => Cipher([first, second], active);

    private static ProfileCipher Cipher((string Id, string Key)[] keys, string? active)
    {
        var options = new ProfileOptions { ActiveEncryptionKeyId = active };
        foreach (var (id, key) in keys)
        {
            options.EncryptionKeys[id] = key;
        }

        return new ProfileCipher(Options.Create(options));
    }

    private static string Key(byte seed) => Convert.ToBase64String(Enumerable.Repeat(seed, ProfileCipher.KeyBytes).ToArray());

    private static ProfileRecord Profile(string customer) => new(ProfileIds.New(), customer, "test", At);

    private static ProfileLastSave Saved(string sessionId) => new(sessionId, At, ProfileSaveOutcome.Saved, State.Length);

    private static string NewCustomer() => "c-" + Guid.NewGuid().ToString("N")[..8];

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
