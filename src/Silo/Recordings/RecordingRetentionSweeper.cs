using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains;
using UFBrowsers.Grains.Recordings;
using UFBrowsers.Silo.Hosting;

namespace UFBrowsers.Silo.Recordings;

/// <summary>Deletes recordings past their retention, every <see cref="RecordingOptions.SweepInterval"/>.</summary>
public sealed class RecordingRetentionSweeper(
    IRecordingStore store,
    IOptions<RecordingOptions> options,
    [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock,
    ILogger<RecordingRetentionSweeper> logger)
    : RetentionSweep(options.Value.SweepInterval, clock, logger, "recordings")
{
    protected override Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        store.DeleteExpiredAsync(now, cancellationToken);
}
