using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace UFBrowsers.Silo.Hosting;

/// <summary>
/// Deletes what a store keeps past its retention, at start and then every <paramref name="interval"/>. Every silo runs its
/// own: the delete is one statement, and two silos deleting the same expired rows is harmless. Reads never serve an
/// expired row in between (the stores filter them). A failed sweep is logged and tried again at the next tick.
/// </summary>
/// <param name="what">What is deleted, for the log (<c>"session downloads"</c>).</param>
public abstract class RetentionSweep(TimeSpan interval, TimeProvider clock, ILogger logger, string what) : BackgroundService
{
    /// <returns>How many were deleted.</returns>
    protected abstract Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                var deleted = await DeleteExpiredAsync(clock.GetUtcNow(), stoppingToken);
                if (deleted > 0)
                {
                    logger.LogInformation("Deleted {Count} {What} past their retention", deleted, what);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Could not delete expired {What} now; trying again in {Interval}", what, interval);
            }
        }
        while (await NextTickAsync(timer, stoppingToken));
    }

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
