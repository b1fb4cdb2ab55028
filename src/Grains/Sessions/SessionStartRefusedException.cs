using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Sessions;

/// <summary>
/// A <see cref="ISessionBrowserHook"/> refuses the start for a reason the customer can act on; nothing is charged and the
/// answer carries <paramref name="outcome"/> and <paramref name="detail"/>.
/// </summary>
public sealed class SessionStartRefusedException(SessionStartOutcome outcome, string detail) : Exception(detail)
{
    public SessionStartOutcome Outcome { get; } = outcome;
}
