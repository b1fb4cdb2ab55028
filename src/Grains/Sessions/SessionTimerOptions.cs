namespace UFBrowsers.Grains.Sessions;

/// <summary>
/// Configuration section <c>UFBrowsers:Sessions</c>: when a session nobody uses is ended, and how often a running session
/// makes sure its browser and its clients' gateways are still there. A request may override the first two (within
/// <see cref="MaxOverrideSeconds"/>); 0 here turns a timer off.
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

    /// <summary>
    /// How often a running session asks its pool whether its browser is alive and its clients' gateways whether they
    /// still run. A browser found gone ends the session as <c>pod_lost</c>, billed up to the last check that saw it alive;
    /// minutes are only paid after a check that saw it alive. Keep it under a minute.
    /// </summary>
    public int LivenessCheckSeconds { get; set; } = 30;

    /// <summary>
    /// The period of each customer's <c>sessions</c> reminder, which wakes its running sessions (on a live silo) and refunds
    /// holds whose start was abandoned. It bounds how long a session whose silo died waits to be checked again.
    /// Orleans' minimum reminder period is lowered to it when it is shorter than a minute (tests).
    /// </summary>
    public int ReminderSeconds { get; set; } = 60;

    public TimeSpan LivenessCheckInterval => TimeSpan.FromSeconds(Math.Max(1, LivenessCheckSeconds));

    public TimeSpan ReminderPeriod => TimeSpan.FromSeconds(Math.Max(1, ReminderSeconds));
}
