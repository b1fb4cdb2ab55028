using UFBrowsers.Silo.Persistence;

namespace UFBrowsers.Api.Health;

internal static class HealthServiceCollectionExtensions
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Readiness: the silo is active, every pool answers with room to serve, and PostgreSQL answers when a
    /// connection string is configured (<c>UFBrowsers:Postgres:ConnectionString</c>). Startup: the silo is active.
    /// </summary>
    public static IServiceCollection AddUFBrowsersHealthChecks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<NodePoolPressureReader>();
        var checks = services.AddHealthChecks()
            .AddCheck<SiloActiveHealthCheck>("silo", tags: [HealthTags.Ready, HealthTags.Startup], timeout: CheckTimeout)
            .AddCheck<NodePoolHealthCheck>("node-pools", tags: [HealthTags.Ready], timeout: CheckTimeout);

        var connectionString = configuration[$"{PostgresOptions.SectionName}:{nameof(PostgresOptions.ConnectionString)}"];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            checks.AddNpgSql(connectionString, name: "postgresql", tags: [HealthTags.Ready], timeout: CheckTimeout);
        }

        return services;
    }
}
