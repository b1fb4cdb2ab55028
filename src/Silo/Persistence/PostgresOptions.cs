using Npgsql;

namespace UFBrowsers.Silo.Persistence;

/// <summary>Where the silo's PostgreSQL database is; bound from <see cref="SectionName"/>.</summary>
public sealed class PostgresOptions
{
    public const string SectionName = "UFBrowsers:Postgres";

    /// <summary>Npgsql connection string. It carries the password: never log it, log <see cref="DescribeTarget"/>.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// <paramref name="connectionString"/> with Npgsql's automatic preparation on unless the operator set it: the silo runs the
    /// same few statements (ledger, sessions, Orleans storage and reminders) thousands of times a second, and a prepared
    /// statement skips PostgreSQL's parse and plan on each.
    /// </summary>
    public static string WithStatementPreparation(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }

    /// <summary>"host:port/database" of <paramref name="connectionString"/>, safe to log.</summary>
    public static string DescribeTarget(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }
}
