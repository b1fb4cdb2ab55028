namespace UFBrowsers.Grains.Files;

public enum UploadOutcome
{
    Uploaded = 0,
    /// <summary>No such session, or another customer's.</summary>
    SessionNotFound = 1,
    /// <summary>The session has ended: its browser is gone.</summary>
    SessionEnded = 2,
    /// <summary>The session's uploads together would go over their limit.</summary>
    SessionLimitReached = 3,
    /// <summary>The pod provider has no way to put files into its browsers.</summary>
    NotSupported = 4,
}

/// <param name="Path">Where the browser sees the file: pass it to <c>DOM.setFileInputFiles</c> or Puppeteer's <c>uploadFile</c>.</param>
public sealed record UploadResult(UploadOutcome Outcome, string? Path = null, long Limit = 0);
