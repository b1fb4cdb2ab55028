namespace UFBrowsers.Grains.Sessions;

/// <summary>Configuration section <c>UFBrowsers:Sessions:Hooks</c>: how long a session's browser hooks may take.</summary>
public sealed class SessionBrowserHookOptions
{
    public const string Section = "UFBrowsers:Sessions:Hooks";

    /// <summary>All hooks of a start together. The start runs inside Orleans' 30 s call timeout, after the pool's acquire (at most 22 s): keep the sum under it.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>All hooks of an end together.</summary>
    public TimeSpan EndTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
