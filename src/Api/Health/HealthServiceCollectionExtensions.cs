using UFBrowsers.Silo.Persistence;

namespace UFBrowsers.Api.Health;

internal static class HealthServiceCollectionExtensions
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Readiness: this replica's silo is active and the replica is not shutting down; nothing shared by every replica
    /// (capacity, PostgreSQL) is in it, or one full cluster or one database blip would take every replica out of the Service
    /// at once. Startup: the silo is active. PostgreSQL is probed for <c>/v1/pressure</c> and metrics (<see cref="DependencyProbe"/>).
    /// </summary>
    public static IServiceCollection AddUFBrowsersHealthChecks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<NodePoolPressureReader>();
        var checks = services.AddHealthChecks()
            .AddCheck<SiloActiveHealthCheck>("silo", tags: [HealthTags.Ready, HealthTags.Startup], timeout: CheckTimeout)
            .AddCheck<StoppingHealthCheck>("stopping", tags: [HealthTags.Ready]);

        if (PostgresConnectionString(configuration) is { } connectionString)
        {
            checks.AddNpgSql(connectionString, name: "postgresql", tags: [HealthTags.Dependency], timeout: CheckTimeout);
        }

        services.AddSingleton<DependencyProbe>();
        services.AddHostedService(sp => sp.GetRequiredService<DependencyProbe>());
        return services;
    }

    public static string? PostgresConnectionString(IConfiguration configuration) =>
        configuration[$"{PostgresOptions.SectionName}:{nameof(PostgresOptions.ConnectionString)}"] is { Length: > 0 } connectionString
            && !string.IsNullOrWhiteSpace(connectionString)
            ? connectionString
            : null;
}
