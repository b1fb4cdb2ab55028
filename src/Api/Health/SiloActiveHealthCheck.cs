using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace UFBrowsers.Api.Health;

/// <summary>Healthy once the co-hosted silo has joined its cluster and serves grains.</summary>
internal sealed class SiloActiveHealthCheck(ISiloStatusOracle silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(silo.CurrentStatus == SiloStatus.Active
            ? HealthCheckResult.Healthy("The silo is active.")
            : HealthCheckResult.Unhealthy($"The silo is {silo.CurrentStatus}."));
}
