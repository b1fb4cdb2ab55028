using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains;
using UFBrowsers.Grains.Recordings;

namespace UFBrowsers.Silo.Recordings;

/// <summary>Deletes recordings past their retention, every <see cref="RecordingOptions.SweepInterval"/> (every silo does; deleting twice is harmless).</summary>
public sealed class RecordingRetentionSweeper(
    IRecordingStore store,
    IOptions<RecordingOptions> options,
    [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock,
    ILogger<RecordingRetentionSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        do
        {
            try
            {
                var deleted = await store.DeleteExpiredAsync(clock.GetUtcNow(), stoppingToken);
                if (deleted > 0)
                {
                    logger.LogInformation("Deleted {Count} recordings past their retention", deleted);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not delete expired recordings; trying again in {Interval}", options.Value.SweepInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
