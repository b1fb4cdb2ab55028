namespace UFBrowsers.Grains.Files;

/// <summary>A session's downloads: live from its browser while it runs, else as kept after it.</summary>
/// <param name="FromBrowser">True while the session runs (the browser's own directory); false for the copies kept after it.</param>
/// <param name="RetainedUntil">When kept copies are deleted; null while the session runs.</param>
public sealed record DownloadListing(bool FromBrowser, IReadOnlyList<DownloadEntry> Files, DateTimeOffset? RetainedUntil);

/// <param name="SizeBytes">The file's size in the browser.</param>
/// <param name="StoredBytes">What can be fetched: less than <paramref name="SizeBytes"/> when the file was cut off at the session's limit.</param>
public sealed record DownloadEntry(string Name, long SizeBytes, long StoredBytes, bool Truncated, DateTimeOffset CompletedAt);
