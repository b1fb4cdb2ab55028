namespace UFBrowsers.Grains.Billing;

/// <summary>
/// How a session is paid: 1 credit per started browser-minute. The first minute is held at start; each
/// following minute is paid when it begins, so a session stops when the next minute could not be paid,
/// never after running unpaid. At the end the session owes ceil(minutes used) in total and the difference
/// to what it prepaid is charged or refunded.
/// </summary>
public static class SessionBilling
{
    public const long HoldCredits = 1;

    public const long CreditsPerMinute = 1;

    /// <summary>The total a session owes for the time it ran: ceil(minutes), and at least the one-minute minimum.</summary>
    public static long CreditsOwed(TimeSpan used) =>
        Math.Max(HoldCredits, (Math.Max(0, used.Ticks) + TimeSpan.TicksPerMinute - 1) / TimeSpan.TicksPerMinute);

    /// <summary>The number of minutes begun after <paramref name="elapsed"/> (minute 1 begins at zero, minute 2 at 60 s).</summary>
    public static long MinutesBegun(TimeSpan elapsed) => Math.Max(0, elapsed.Ticks) / TimeSpan.TicksPerMinute + 1;

    /// <summary>The most a session can ever owe, given its deadline.</summary>
    public static long MaximumCredits(TimeSpan lifetime) => CreditsOwed(lifetime);

    /// <summary>When the next minute begins, measured from the session's start.</summary>
    public static TimeSpan NextMinuteBoundary(TimeSpan elapsed) => TimeSpan.FromTicks(MinutesBegun(elapsed) * TimeSpan.TicksPerMinute);
}
