using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using UFBrowsers.Pods;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Files;

/// <summary>
/// A customer's access to a session's files: where they are read from (the running browser, or the copies kept after the
/// session), and where uploads go. Another customer's session, or one that never started, is not found.
/// </summary>
/// <remarks>
/// Not a grain: the bytes go between the caller and the pod or the store directly (as the gateway's CDP traffic goes
/// between the client and the pod), while the session grain says whose the session is and whether its browser runs.
/// </remarks>
public sealed class SessionFiles(
    IGrainFactory grains,
    IPodFiles podFiles,
    ISessionFileStore store,
    IOptions<SessionFilesOptions> options,
    [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock)
{
    public SessionFilesOptions Options => options.Value;

    /// <summary>The session's downloads, or null when the session is not the customer's.</summary>
    public async Task<DownloadListing?> ListDownloadsAsync(string customerId, string sessionId, CancellationToken cancellationToken)
    {
        if (await OwnSession(customerId, sessionId) is not { } session)
        {
            return null;
        }

        if (await RunningPod(session) is { } pod)
        {
            var files = await podFiles.ListDownloadsAsync(pod, cancellationToken);
            return new DownloadListing(true, files.Select(f => new DownloadEntry(f.Name, f.SizeBytes, f.SizeBytes, false, f.CompletedAt)).ToList(), null);
        }

        var stored = await store.ListAsync(sessionId, clock.GetUtcNow(), cancellationToken);
        return new DownloadListing(
            false,
            stored.Select(f => new DownloadEntry(f.Name, f.SizeBytes, f.StoredBytes, f.Truncated, f.CompletedAt)).ToList(),
            stored.Count > 0 ? stored.Max(f => f.ExpiresAt) : null);
    }

    /// <summary>One download's bytes (only what was kept, for a file cut off); null when the session is not the customer's or has no such file.</summary>
    public async Task<FileContent?> OpenDownloadAsync(string customerId, string sessionId, string name, CancellationToken cancellationToken)
    {
        if (!FileNames.IsPlain(name) || FileNames.IsPartialDownload(name) || await OwnSession(customerId, sessionId) is not { } session)
        {
            return null;
        }

        return await RunningPod(session) is { } pod
            ? await podFiles.OpenDownloadAsync(pod, name, cancellationToken)
            : await store.OpenAsync(sessionId, name, clock.GetUtcNow(), cancellationToken);
    }

    /// <summary>Whether the session can take an upload now (the customer's, running), checked before its body is read.</summary>
    public async Task<UploadOutcome> CheckUploadAsync(string customerId, string sessionId) =>
        await OwnSession(customerId, sessionId) is not { } session ? UploadOutcome.SessionNotFound
        : session.Status != SessionStatus.Active ? UploadOutcome.SessionEnded
        : UploadOutcome.Uploaded;

    /// <summary>Puts a file (a name checked by <see cref="FileNames.IsPlain"/>) into the session's running browser.</summary>
    public async Task<UploadResult> UploadAsync(string customerId, string sessionId, string name, Stream content, long length, CancellationToken cancellationToken)
    {
        if (await OwnSession(customerId, sessionId) is not { } session)
        {
            return new UploadResult(UploadOutcome.SessionNotFound);
        }

        if (await RunningPod(session) is not { } pod)
        {
            return new UploadResult(UploadOutcome.SessionEnded);
        }

        try
        {
            var path = await podFiles.PutUploadAsync(pod, name, content, length, options.Value.MaxUploadBytesPerSession, cancellationToken);
            return new UploadResult(UploadOutcome.Uploaded, path);
        }
        catch (UploadSpaceExhaustedException full)
        {
            return new UploadResult(UploadOutcome.SessionLimitReached, Limit: full.Limit);
        }
        catch (NotSupportedException)
        {
            return new UploadResult(UploadOutcome.NotSupported);
        }
    }

    private async Task<SessionView?> OwnSession(string customerId, string sessionId)
    {
        if (!SessionIds.IsWellFormed(sessionId))
        {
            return null;
        }

        var session = await grains.For<ISessionGrain>(sessionId).Get();
        return session is not null && string.Equals(session.CustomerId, customerId, StringComparison.Ordinal) ? session : null;
    }

    private async Task<PodLease?> RunningPod(SessionView session) =>
        session.Status == SessionStatus.Active ? await grains.For<ISessionGrain>(session.Id).GetPod() : null;
}
