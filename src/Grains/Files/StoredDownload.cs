namespace UFBrowsers.Grains.Files;

/// <summary>A session's download kept after the session ended.</summary>
/// <param name="SizeBytes">Its size in the browser.</param>
/// <param name="StoredBytes">How much of it is kept: less than its size when it was cut off (<paramref name="Truncated"/>).</param>
public sealed record StoredDownload(
    string SessionId,
    string CustomerId,
    string Name,
    long SizeBytes,
    long StoredBytes,
    bool Truncated,
    DateTimeOffset CompletedAt,
    DateTimeOffset ExpiresAt);
