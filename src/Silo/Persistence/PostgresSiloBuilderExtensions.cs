using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Runtime;
using Npgsql;
using UFBrowsers.Grains;
using UFBrowsers.Grains.Audit;
using UFBrowsers.Grains.Billing;
using UFBrowsers.Grains.Recordings;
using UFBrowsers.Grains.Files;
using UFBrowsers.Grains.Profiles;
using UFBrowsers.Silo.Profiles;

namespace UFBrowsers.Silo.Persistence;

public static class PostgresSiloBuilderExtensions
{
    /// <summary>ADO.NET invariant Orleans maps to Npgsql's factory (loaded by assembly name, no registration needed).</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// Binds <see cref="PostgresOptions"/> from the <c>UFBrowsers:Postgres</c> configuration section
    /// and calls <see cref="UsePostgres(ISiloBuilder, string)"/>.
    /// </summary>
    public static ISiloBuilder UsePostgres(this ISiloBuilder builder)
    {
        var options = builder.Configuration.GetSection(PostgresOptions.SectionName).Get<PostgresOptions>();
        if (string.IsNullOrWhiteSpace(options?.ConnectionString))
        {
            throw new InvalidOperationException(
                $"Configuration '{PostgresOptions.SectionName}:{nameof(PostgresOptions.ConnectionString)}' is required.");
        }

        return builder.UsePostgres(options.ConnectionString);
    }

    /// <summary>
    /// Keeps Orleans membership, the <see cref="StorageNames.Grains"/> grain storage and reminders
    /// in PostgreSQL, and migrates the schema before the silo's providers start.
    /// </summary>
    public static ISiloBuilder UsePostgres(this ISiloBuilder builder, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        connectionString = PostgresOptions.ForSilo(connectionString);

        builder.Services.Configure<PostgresOptions>(options => options.ConnectionString = connectionString);
        builder.Services.TryAddSingleton<PostgresMigrator>();
        builder.Services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.Services.AddSingleton<ILedgerStore, PostgresLedgerStore>();
        // The audit log commits asynchronously on connections of its own (see PostgresOptions.ForAudit); disposed with it.
        builder.Services.AddSingleton<IAuditLog>(_ => new PostgresAuditLog(NpgsqlDataSource.Create(PostgresOptions.ForAudit(connectionString)), ownsDataSource: true));
        builder.Services.AddSingleton<IRecordingStore, PostgresRecordingStore>();
        builder.Services.AddUFBrowsersProfileCipher(builder.Configuration);
        builder.Services.AddSingleton<IProfileStore, PostgresProfileStore>();
        builder.Services.AddSingleton<ISessionFileStore, PostgresSessionFileStore>();
        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<ILifecycleParticipant<ISiloLifecycle>, PostgresMigrationParticipant>());

        builder.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        builder.AddAdoNetGrainStorage(StorageNames.Grains, options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        builder.UseAdoNetReminderService(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        return builder;
    }
}
