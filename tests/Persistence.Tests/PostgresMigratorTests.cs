using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Xunit.Abstractions;
using UFBrowsers.Persistence.Tests.Infrastructure;
using UFBrowsers.TestSupport;
using static UFBrowsers.Persistence.Tests.Infrastructure.Sql;
using UFBrowsers.Silo.Persistence;

namespace UFBrowsers.Persistence.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresMigratorTests(PostgresServer server, ITestOutputHelper output)
{
    private static readonly string[] OrleansTables =
        ["orleansquery", "orleansmembershipversiontable", "orleansmembershiptable", "orleansstorage", "orleansreminderstable"];

    /// <summary>
    /// Numbers are reserved per task, so a branch may have a gap another branch fills (this one has 0011 before 0009 and
    /// 0010 are merged); the migrator applies every version a database lacks, in order, whatever came before.
    /// </summary>
    [Fact]
    public void Embedded_migrations_are_numbered_from_one_in_increasing_order_each_once()
    {
        var migrations = PostgresMigration.LoadEmbedded();

        Assert.Equal(1, migrations[0].Version);
        Assert.All(migrations.Zip(migrations.Skip(1)), pair => Assert.True(pair.First.Version < pair.Second.Version, $"{pair.First.Version} before {pair.Second.Version}"));
        Assert.Equal(Enumerable.Range(1, 8), migrations.Take(8).Select(m => m.Version));
        Assert.Equal(
            ["orleans_main", "orleans_clustering", "orleans_persistence", "orleans_reminders"],
            migrations.Take(4).Select(m => m.Name));
    }

    [Fact]
    public async Task Applies_every_migration_to_an_empty_database_and_records_it()
    {
        var connectionString = await server.CreateDatabaseAsync();
        var migrator = CreateMigrator(connectionString);

        var applied = await migrator.MigrateAsync(CancellationToken.None);

        Assert.Equal(migrator.Migrations.Select(m => m.Version), applied.Select(m => m.Version));
        var recorded = await QueryAsync(connectionString, "SELECT version, name FROM schema_version ORDER BY version",
            r => (r.GetInt32(0), r.GetString(1)));
        Assert.Equal(migrator.Migrations.Select(m => (m.Version, m.Name)), recorded);
        Assert.Subset(new HashSet<string>(await TablesAsync(connectionString)), new HashSet<string>(OrleansTables));
        output.WriteLine($"PostgreSQL initdb {server.InitDuration.TotalMilliseconds:F0} ms, start {server.StartDuration.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Registers_every_query_key_the_orleans_providers_read()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await CreateMigrator(connectionString).MigrateAsync(CancellationToken.None);

        var keys = await QueryAsync(connectionString, "SELECT QueryKey FROM OrleansQuery", r => r.GetString(0));

        string[] required =
        [
            "GatewaysQueryKey", "MembershipReadRowKey", "MembershipReadAllKey", "InsertMembershipVersionKey",
            "UpdateIAmAlivetimeKey", "InsertMembershipKey", "UpdateMembershipKey", "DeleteMembershipTableEntriesKey",
            "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
            "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey",
            "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key",
            "ReadRangeRows2Key", "DeleteReminderRowKey", "DeleteReminderRowsKey",
        ];
        Assert.Equal(required.Order(), keys.Order());
    }

    [Fact]
    public async Task Running_twice_changes_nothing()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await CreateMigrator(connectionString).MigrateAsync(CancellationToken.None);
        var before = await QueryAsync(connectionString, "SELECT version, applied_at FROM schema_version ORDER BY version",
            r => (r.GetInt32(0), r.GetDateTime(1)));

        var second = await CreateMigrator(connectionString).MigrateAsync(CancellationToken.None);

        Assert.Empty(second);
        var after = await QueryAsync(connectionString, "SELECT version, applied_at FROM schema_version ORDER BY version",
            r => (r.GetInt32(0), r.GetDateTime(1)));
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Two_migrators_at_once_apply_each_migration_exactly_once()
    {
        var connectionString = await server.CreateDatabaseAsync();
        var first = CreateMigrator(connectionString);
        var second = CreateMigrator(connectionString);

        var results = await Task.WhenAll(
            Task.Run(() => first.MigrateAsync(CancellationToken.None)),
            Task.Run(() => second.MigrateAsync(CancellationToken.None)));

        // One of them did all the work; the other found nothing left to do.
        Assert.Equal(first.Migrations.Count, results.Sum(r => r.Count));
        Assert.Contains(results, r => r.Count == 0);
        var versions = await QueryAsync(connectionString, "SELECT version FROM schema_version ORDER BY version", r => r.GetInt32(0));
        Assert.Equal(first.Migrations.Select(m => m.Version), versions);
        Assert.Equal(OrleansTables.Order(), (await TablesAsync(connectionString)).Where(OrleansTables.Contains).Order());
    }

    [Fact]
    public async Task A_failing_migration_rolls_back_and_is_not_recorded()
    {
        var connectionString = await server.CreateDatabaseAsync();
        PostgresMigration[] migrations =
        [
            new(1, "good", "CREATE TABLE good_table (id integer);"),
            new(2, "bad", "CREATE TABLE half_done (id integer); SELECT * FROM no_such_table;"),
        ];
        var migrator = new PostgresMigrator(Options.Create(new PostgresOptions { ConnectionString = connectionString }),
            NullLogger<PostgresMigrator>.Instance, migrations);

        await Assert.ThrowsAsync<PostgresException>(() => migrator.MigrateAsync(CancellationToken.None));

        var versions = await QueryAsync(connectionString, "SELECT version FROM schema_version", r => r.GetInt32(0));
        Assert.Equal([1], versions);
        var tables = await TablesAsync(connectionString);
        Assert.Contains("good_table", tables);
        Assert.DoesNotContain("half_done", tables);
    }

    private static PostgresMigrator CreateMigrator(string connectionString) =>
        new(Options.Create(new PostgresOptions { ConnectionString = connectionString }), NullLogger<PostgresMigrator>.Instance);

    private static Task<List<string>> TablesAsync(string connectionString) =>
        QueryAsync(connectionString, "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'", r => r.GetString(0));
}
