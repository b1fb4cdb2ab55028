using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace UFBrowsers.Api.Health;

/// <summary>Healthy while at least one node pool answers and has a free slot for a new session.</summary>
internal sealed class NodePoolHealthCheck(NodePoolPressureReader pressure) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var pools = await pressure.Read();
        var data = pools.ToDictionary(p => p.Name, p => (object)p.FreeSlots);
        return pools.Any(p => p.FreeSlots > 0)
            ? HealthCheckResult.Healthy("A node pool can take a session.", data)
            : HealthCheckResult.Unhealthy("No node pool has a free slot.", data: data);
    }
}
