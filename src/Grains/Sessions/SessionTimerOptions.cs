namespace UFBrowsers.Grains.Sessions;

/// <summary>
/// Configuration section <c>UFBrowsers:Sessions</c>: when a session nobody uses is ended. A request may override
/// both (within <see cref="MaxOverrideSeconds"/>); 0 here turns a timer off.
/// </summary>
public sealed class SessionTimerOptions
{
    public const string Section = "UFBrowsers:Sessions";

    /// <summary>No client connected this long after creation: ended as <c>no_client</c>, charged only the minimum.</summary>
    public int FirstConnectTimeoutSeconds { get; set; } = 60;

    /// <summary>No client connected this long after the last one left: ended as <c>idle_timeout</c>.</summary>
    public int IdleTimeoutSeconds { get; set; } = 60;

    public int MaxOverrideSeconds { get; set; } = 3600;

    /// <summary>Events kept per session; beyond it the oldest connect/disconnect events are dropped (created and ended stay).</summary>
    public int MaxEvents { get; set; } = 200;
}
