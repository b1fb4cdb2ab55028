using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains;
using UFBrowsers.Grains.Files;

namespace UFBrowsers.Silo.Files;

/// <summary>
/// Deletes the downloads whose retention ended, every <see cref="SessionFilesOptions.CleanupInterval"/>. Every silo runs it:
/// the delete is one statement, and two silos deleting the same expired rows is harmless. Reads never serve an expired
/// file in between (the store filters them).
/// </summary>
public sealed class SessionFileRetention(
    ISessionFileStore store,
    IOptions<SessionFilesOptions> options,
    [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock,
    ILogger<SessionFileRetention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CleanupInterval, clock);
        do
        {
            try
            {
                var deleted = await store.DeleteExpiredAsync(clock.GetUtcNow(), stoppingToken);
                if (deleted > 0)
                {
                    logger.LogInformation("Deleted {Count} session downloads whose retention ended", deleted);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Expired session downloads could not be deleted now; trying again in {Interval}", options.Value.CleanupInterval);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
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
