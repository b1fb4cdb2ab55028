namespace UFBrowsers.Grains.Files;

/// <summary>
/// Where a session's downloads are kept once its pod is gone, for the retention period: readable from every API replica
/// (PostgreSQL; memory in tests).
/// </summary>
public interface ISessionFileStore
{
    /// <summary>
    /// Records the session's files before their contents are copied, each as cut off with nothing kept, so that a copy the end
    /// did not finish (its time ran out, the process died) is reported rather than lost. A name recorded already is kept as it is.
    /// </summary>
    Task RegisterAsync(IReadOnlyList<StoredDownload> downloads, CancellationToken cancellationToken);

    /// <summary>Stores the first <paramref name="bytes"/> of <paramref name="content"/> as the file's contents, in one transaction; returns how many were stored.</summary>
    Task<long> WriteContentAsync(string sessionId, string name, Stream content, long bytes, CancellationToken cancellationToken);

    /// <summary>The session's files not expired, oldest completion first.</summary>
    Task<IReadOnlyList<StoredDownload>> ListAsync(string sessionId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>A stored file's kept bytes; null when there is none by that name or it expired.</summary>
    Task<FileContent?> OpenAsync(string sessionId, string name, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes every file whose retention ended; returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
