using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using UFBrowsers.Api.Contracts;
using UFBrowsers.Grains.Telemetry;

namespace UFBrowsers.Api.Health;

/// <summary>
/// Probes PostgreSQL every few seconds (the <see cref="HealthTags.Dependency"/> checks) and keeps the last result for
/// <c>/v1/pressure</c> and the <c>ufbrowsers.postgres.up</c> gauge (1 up, 0 down; absent without a connection string).
/// A database blip shows there, and as 503 + Retry-After on the requests that need the database, never as every replica
/// turning unready at once.
/// </summary>
internal sealed class DependencyProbe : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    private readonly HealthCheckService _checks;
    private readonly TimeProvider _clock;
    private readonly bool _configured;
    private DependencyState? _postgres;

    public DependencyProbe(HealthCheckService checks, TimeProvider clock, IConfiguration configuration, IMeterFactory meters)
    {
        _checks = checks;
        _clock = clock;
        _configured = HealthServiceCollectionExtensions.PostgresConnectionString(configuration) is not null;
        if (_configured)
        {
            meters.Create(UFBrowsersMetrics.MeterName).CreateObservableGauge(
                "ufbrowsers.postgres.up", () => _postgres is { } state ? new[] { new Measurement<int>(state.Status == "up" ? 1 : 0) } : [],
                "{state}", "1 while this replica reaches PostgreSQL, 0 while it does not (probed every 5 s).");
        }
    }

    /// <summary>PostgreSQL as last probed; probed now if it never was.</summary>
    public async Task<DependencyState> PostgresAsync(CancellationToken cancellationToken) =>
        !_configured ? new DependencyState("not_configured", null, "No UFBrowsers:Postgres:ConnectionString: storage is in memory.")
        : _postgres ?? await ProbeAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_configured)
        {
            return;
        }

        using var timer = new PeriodicTimer(Period, _clock);
        do
        {
            await ProbeAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<DependencyState> ProbeAsync(CancellationToken cancellationToken)
    {
        var report = await _checks.CheckHealthAsync(check => check.Tags.Contains(HealthTags.Dependency), cancellationToken);
        var entry = report.Entries.Values.FirstOrDefault();
        var state = new DependencyState(report.Status == HealthStatus.Healthy ? "up" : "down", _clock.GetUtcNow(),
            report.Status == HealthStatus.Healthy ? "PostgreSQL answers." : $"PostgreSQL does not answer ({entry.Status}).");
        _postgres = state;
        return state;
    }
}
