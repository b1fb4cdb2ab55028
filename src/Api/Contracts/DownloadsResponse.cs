using UFBrowsers.Grains.Files;

namespace UFBrowsers.Api.Contracts;

/// <summary>
/// A session's downloads. <c>source</c>: <c>browser</c> while the session runs (its browser's own downloads directory),
/// <c>stored</c> after it ended (the copies kept until <c>retainedUntil</c>).
/// </summary>
public sealed record DownloadsResponse(string SessionId, string Source, DateTimeOffset? RetainedUntil, IReadOnlyList<DownloadResponse> Data)
{
    public static DownloadsResponse From(string sessionId, DownloadListing listing) => new(
        sessionId, listing.FromBrowser ? "browser" : "stored", listing.RetainedUntil,
        listing.Files.Select(f => new DownloadResponse(f.Name, f.SizeBytes, f.StoredBytes, f.Truncated, f.CompletedAt)).ToList());
}

/// <summary>
/// One download. <c>truncated</c>: it was over what the plan keeps per session; <c>storedBytes</c> of its <c>sizeBytes</c>
/// can be fetched.
/// </summary>
public sealed record DownloadResponse(string Name, long SizeBytes, long StoredBytes, bool Truncated, DateTimeOffset CompletedAt);

/// <summary>An uploaded file: <c>path</c> is where the browser sees it (for <c>DOM.setFileInputFiles</c> or Puppeteer's <c>uploadFile</c>).</summary>
public sealed record UploadResponse(string Name, string Path, long SizeBytes);
