using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UFBrowsers.Customers;
using UFBrowsers.Grains.Billing;
using UFBrowsers.Grains.Sessions;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Files;

/// <summary>
/// At a session's end, while its pod still lives, copies its completed downloads to the <see cref="ISessionFileStore"/>,
/// oldest first, within the plan's bytes per session: the file that crosses the limit is cut off there and every later one
/// is kept with nothing stored, both reported as truncated.
/// </summary>
public sealed class DownloadsSessionHook(
    IPodFiles podFiles,
    ISessionFileStore store,
    IGrainFactory grains,
    PlanCatalog plans,
    IOptions<SessionFilesOptions> options,
    [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock,
    ILogger<DownloadsSessionHook> logger) : ISessionBrowserHook
{
    public Task OnStartingAsync(SessionBrowser browser, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task OnEndingAsync(SessionBrowser browser, EndReason reason, CancellationToken cancellationToken)
    {
        var files = await podFiles.ListDownloadsAsync(browser.Pod, cancellationToken);
        if (files.Count == 0)
        {
            return;
        }

        var kept = files.Take(options.Value.MaxFilesPerSession).ToList();
        if (kept.Count < files.Count)
        {
            logger.LogWarning("Session {SessionId} made {Count} downloads; only the oldest {Kept} are kept after it", browser.SessionId, files.Count, kept.Count);
        }

        var account = await grains.For<ICustomerGrain>(browser.Request.CustomerId).GetAccount();
        var budget = plans.StorageLimits(account?.Plan.Name ?? "").MaxSessionDownloadBytes;
        var expires = clock.GetUtcNow() + options.Value.Retention;
        await store.RegisterAsync(
            kept.Select(f => new StoredDownload(browser.SessionId, browser.Request.CustomerId, f.Name, f.SizeBytes, 0, true, f.CompletedAt, expires)).ToList(),
            cancellationToken);

        var storedTotal = 0L;
        foreach (var file in kept)
        {
            var allowed = Math.Min(file.SizeBytes, budget - storedTotal);
            if (allowed <= 0 && file.SizeBytes > 0)
            {
                logger.LogInformation("Session {SessionId}: download {Name} ({Size} bytes) is over the plan's {Limit} bytes per session; kept as cut off, empty",
                    browser.SessionId, file.Name, file.SizeBytes, budget);
                continue;
            }

            await using var content = await podFiles.OpenDownloadAsync(browser.Pod, file.Name, cancellationToken);
            if (content is null)
            {
                continue;
            }

            var stored = await store.WriteContentAsync(browser.SessionId, file.Name, content.Content, Math.Min(allowed, content.Length), cancellationToken);
            storedTotal += stored;
            if (stored < file.SizeBytes)
            {
                logger.LogInformation("Session {SessionId}: download {Name} cut off at {Stored} of {Size} bytes (plan limit {Limit} bytes per session)",
                    browser.SessionId, file.Name, stored, file.SizeBytes, budget);
            }
        }

        logger.LogInformation("Session {SessionId} ended ({Reason}): {Count} downloads kept, {Bytes} bytes, until {Expires}",
            browser.SessionId, reason, kept.Count, storedTotal, expires);
    }
}
