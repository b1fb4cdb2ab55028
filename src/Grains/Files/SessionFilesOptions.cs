namespace UFBrowsers.Grains.Files;

/// <summary>Configuration section <c>UFBrowsers:Sessions:Files</c>: downloads kept after a session, and uploads into it.</summary>
public sealed class SessionFilesOptions
{
    public const string Section = "UFBrowsers:Sessions:Files";

    /// <summary>How long a session's downloads stay fetchable after it ended; then they are deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often expired downloads are deleted.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>At most this many of a session's files are kept after it ends (oldest first); the rest are logged as dropped.</summary>
    public int MaxFilesPerSession { get; set; } = 1000;

    /// <summary>One upload's largest size.</summary>
    public long MaxUploadBytes { get; set; } = 50 * 1024 * 1024;

    /// <summary>All of one session's uploads together.</summary>
    public long MaxUploadBytesPerSession { get; set; } = 200 * 1024 * 1024;
}
