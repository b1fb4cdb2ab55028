namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// <c>UFBrowsers:LocalChromium:WarmUp</c>: what a warm pod's browser does before the pool may hand it out, so that a
/// customer's first connect, new page and evaluate cost what they cost on a browser that has been running a while
/// (<see cref="BrowserWarmUp"/>). Pods made on demand for a waiting session skip it: their customer would wait for it.
/// </summary>
public sealed class BrowserWarmUpOptions
{
    /// <summary>Off, a pod is handed out as soon as its DevTools answers (for measuring what the warm-up is worth).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the browser's processes' CPU time is read while waiting for its start-up work to end.</summary>
    public TimeSpan SettleInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>CPU time all of the browser's processes together may use in one interval for it to count as quiet.</summary>
    public TimeSpan QuietCpu { get; set; } = TimeSpan.FromMilliseconds(15);

    /// <summary>Quiet intervals in a row, with no process started or ended, after which the browser counts as settled.</summary>
    public int QuietIntervals { get; set; } = 2;

    /// <summary>The longest a warm-up waits for quiet; a browser still busy then is handed out anyway (and logged).</summary>
    public TimeSpan SettleTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
