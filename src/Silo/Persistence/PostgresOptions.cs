using Npgsql;

namespace UFBrowsers.Silo.Persistence;

/// <summary>Where the silo's PostgreSQL database is; bound from <see cref="SectionName"/>.</summary>
public sealed class PostgresOptions
{
    public const string SectionName = "UFBrowsers:Postgres";

    /// <summary>Npgsql connection string. It carries the password: never log it, log <see cref="DescribeTarget"/>.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// <paramref name="connectionString"/> tuned for the silo's traffic, where the operator did not set these: Npgsql's
    /// automatic preparation, because the silo runs the same few statements (ledger, sessions, Orleans storage) thousands
    /// of times a second and a prepared statement skips PostgreSQL's parse and plan; and no session reset when a pooled
    /// connection goes back to the pool, because nothing the silo runs on a pooled connection changes session state (the
    /// migrator's advisory lock is taken on a connection of its own, unpooled), while the reset is a round of statements
    /// on every return.
    /// </summary>
    public static string ForSilo(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// <paramref name="connectionString"/> for the audit log's own connections: as <see cref="ForSilo"/>, with asynchronous
    /// commit. An audit insert is then stored and visible when the request is answered, but the answer does not wait for its
    /// WAL to reach the disk (about a millisecond of a create's time here); a crash of the database server itself (not of the
    /// API) can lose the audit records of the last moment (at most three <c>wal_writer_delay</c>s, 0.6 s by default). Money
    /// never: ledger entries, session records and grain state keep synchronous commit on the silo's other connections.
    /// </summary>
    public static string ForAudit(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(ForSilo(connectionString));
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? "-c synchronous_commit=off" : builder.Options + " -c synchronous_commit=off";
        return builder.ConnectionString;
    }

    /// <summary>"host:port/database" of <paramref name="connectionString"/>, safe to log.</summary>
    public static string DescribeTarget(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }
}
