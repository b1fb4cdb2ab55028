namespace UFBrowsers.Grains.Recordings;

/// <summary>Configuration section <c>UFBrowsers:Recordings</c>: limits and retention of session recordings.</summary>
public sealed class RecordingOptions
{
    public const string Section = "UFBrowsers:Recordings";

    /// <summary>Compressed bytes one recording may store; at the limit recording stops and the recording is marked truncated.</summary>
    public long MaxBytesPerRecording { get; set; } = 32L * 1024 * 1024;

    /// <summary>How long a recording is kept after its session started.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the events collected from the pages are compressed and appended as chunks.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Collected event bytes that make a flush happen before its interval.</summary>
    public int FlushBytes { get; set; } = 1024 * 1024;

    /// <summary>How often expired recordings are deleted.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);
}
