using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace UFBrowsers.Api.Health;

internal static class HealthEndpoints
{
    /// <summary>Anonymous probes for orchestrators and load balancers; 200 when healthy, 503 otherwise.</summary>
    public static IEndpointRouteBuilder MapUFBrowsersHealth(this IEndpointRouteBuilder app)
    {
        // Liveness runs no check: the process answers, and a grain or database outage must not get it restarted.
        Map(app, "/health/live", _ => false);
        Map(app, "/health/ready", check => check.Tags.Contains(HealthTags.Ready));
        Map(app, "/health/startup", check => check.Tags.Contains(HealthTags.Startup));
        return app;
    }

    private static void Map(IEndpointRouteBuilder app, string path, Func<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration, bool> predicate) =>
        app.MapHealthChecks(path, new HealthCheckOptions { Predicate = predicate, ResponseWriter = HealthResponseWriter.Write })
            .WithTags("Health")
            .AllowAnonymous();
}
