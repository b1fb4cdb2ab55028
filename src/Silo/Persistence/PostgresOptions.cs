using Npgsql;

namespace UFBrowsers.Silo.Persistence;

/// <summary>Where the silo's PostgreSQL database is; bound from <see cref="SectionName"/>.</summary>
public sealed class PostgresOptions
{
    public const string SectionName = "UFBrowsers:Postgres";

    /// <summary>Npgsql connection string. It carries the password: never log it, log <see cref="DescribeTarget"/>.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>"host:port/database" of <paramref name="connectionString"/>, safe to log.</summary>
    public static string DescribeTarget(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }
}
