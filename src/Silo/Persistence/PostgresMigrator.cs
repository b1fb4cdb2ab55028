using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace UFBrowsers.Silo.Persistence;

/// <summary>
/// Brings the database schema up to date: applies each pending migration in version order,
/// each in its own transaction, and records it in <c>schema_version</c>.
/// Silos starting together serialise on a PostgreSQL advisory lock, so each migration runs once.
/// </summary>
public sealed partial class PostgresMigrator
{
    // Any fixed 64-bit number works as long as every silo uses the same one ("UFBmigr" in ASCII).
    internal const long AdvisoryLockKey = 0x0055_4642_6D69_6772;

    private const int StatementTimeoutSeconds = 600;

    private readonly string _connectionString;
    private readonly ILogger<PostgresMigrator> _logger;

    public PostgresMigrator(IOptions<PostgresOptions> options, ILogger<PostgresMigrator> logger)
        : this(options, logger, PostgresMigration.LoadEmbedded())
    {
    }

    internal PostgresMigrator(IOptions<PostgresOptions> options, ILogger<PostgresMigrator> logger, IReadOnlyList<PostgresMigration> migrations)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Value.ConnectionString, nameof(PostgresOptions.ConnectionString));
        _connectionString = options.Value.ConnectionString;
        _logger = logger;
        Migrations = migrations;
    }

    /// <summary>Every migration this build knows, in version order.</summary>
    public IReadOnlyList<PostgresMigration> Migrations { get; }

    /// <summary>Applies the pending migrations and returns those this call applied.</summary>
    public async Task<IReadOnlyList<PostgresMigration>> MigrateAsync(CancellationToken cancellationToken)
    {
        var target = PostgresOptions.DescribeTarget(_connectionString);

        // Unpooled: if unlocking fails, closing the connection is what releases the session lock.
        var builder = new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);

        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_version
                (
                    version    integer     NOT NULL PRIMARY KEY,
                    name       text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken);

            var applied = await ReadAppliedVersionsAsync(connection, cancellationToken);
            var pending = Migrations.Where(m => !applied.Contains(m.Version)).ToList();
            foreach (var migration in pending)
            {
                var stopwatch = Stopwatch.StartNew();
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
                await using (var record = new NpgsqlCommand(
                    "INSERT INTO schema_version (version, name) VALUES (@version, @name)", connection, transaction))
                {
                    record.Parameters.AddWithValue("version", migration.Version);
                    record.Parameters.AddWithValue("name", migration.Name);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                LogApplied(target, migration.Version, migration.Name, stopwatch.ElapsedMilliseconds);
            }

            var unknown = applied.Except(Migrations.Select(m => m.Version)).Order().ToList();
            if (unknown.Count > 0)
            {
                // A newer build migrated this database; this one runs on the schema it knows.
                LogUnknownVersions(target, string.Join(", ", unknown));
            }

            LogUpToDate(target, applied.Concat(pending.Select(m => m.Version)).DefaultIfEmpty(0).Max(), pending.Count);
            return pending;
        }
        finally
        {
            try
            {
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // The connection is broken; closing it (unpooled) releases the lock, and the original error matters more.
            }
        }
    }

    private static async Task<HashSet<int>> ReadAppliedVersionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var versions = new HashSet<int>();
        await using var command = new NpgsqlCommand("SELECT version FROM schema_version", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = StatementTimeoutSeconds };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL {Target}: applied migration {Version:D4} {Name} in {ElapsedMs} ms")]
    private partial void LogApplied(string target, int version, string name, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL {Target}: database has migrations this build does not know: {Versions}")]
    private partial void LogUnknownVersions(string target, string versions);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL {Target}: schema at version {Version} ({Applied} migrations applied now)")]
    private partial void LogUpToDate(string target, int version, int applied);
}
