using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace UFBrowsers.Api.Health;

/// <summary>Unhealthy once the host is stopping, so the replica leaves the Service before its connections are closed.</summary>
internal sealed class StoppingHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("The replica is shutting down.")
            : HealthCheckResult.Healthy("The replica is not shutting down."));
}
