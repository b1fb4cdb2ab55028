namespace UFBrowsers.Api.LiveView;

/// <summary>Configuration section <c>UFBrowsers:LiveView</c>: live links and the screencast behind them.</summary>
public sealed class LiveViewOptions
{
    public const string Section = "UFBrowsers:LiveView";

    /// <summary>A link's lifetime when the request names none; it never outlives its session.</summary>
    public int DefaultExpiresInSeconds { get; set; } = 3600;

    public int MaxExpiresInSeconds { get; set; } = 24 * 60 * 60;

    /// <summary>Viewers of one session at once, across its links.</summary>
    public int MaxViewersPerSession { get; set; } = 10;

    /// <summary>JPEG quality of the screencast while viewers keep up; lowered (down to <see cref="MinQuality"/>) when they do not.</summary>
    public int MaxQuality { get; set; } = 70;

    public int MinQuality { get; set; } = 30;

    /// <summary>The largest frame asked of the browser, whatever size the viewers are.</summary>
    public int MaxFrameWidth { get; set; } = 1920;

    /// <summary>
    /// The shortest time between two frames (10 per second by default): while a page changes faster, its screencast is
    /// stopped between frames (<see cref="ScreencastPacer"/>), so it costs its browser one capture per interval. A page that
    /// was still gets its first frame at once. Watched this way, the automation's Runtime.evaluate round trip on the same
    /// machine was 1.00-1.03x the unwatched one (README "Benchmarks and drills").
    /// </summary>
    public TimeSpan MinFrameInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    public int MaxFrameHeight { get; set; } = 1440;
}
