using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains;
using UFBrowsers.Grains.Files;
using UFBrowsers.Silo.Hosting;

namespace UFBrowsers.Silo.Files;

/// <summary>Deletes the downloads whose retention ended, every <see cref="SessionFilesOptions.CleanupInterval"/>.</summary>
public sealed class SessionFileRetention(
    ISessionFileStore store,
    IOptions<SessionFilesOptions> options,
    [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock,
    ILogger<SessionFileRetention> logger)
    : RetentionSweep(options.Value.CleanupInterval, clock, logger, "session downloads")
{
    protected override Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        store.DeleteExpiredAsync(now, cancellationToken);
}
