namespace UFBrowsers.Grains.Billing;

/// <summary>
/// How a session is paid: 1 credit per started browser-minute. The first minute is held at start; each following minute
/// is paid when it begins, so a session stops when the next minute could not be paid, never after running unpaid. At the
/// end the session owes ceil(minutes used) in total and the difference to what it prepaid is charged or refunded.
/// </summary>
/// <remarks>
/// One rule for a short balance, wherever it shows (<see cref="FinalCharge"/>): the balance never goes below zero, and a
/// minute the balance cannot pay is not used. When a session is found at its end to owe more minutes than it prepaid (its
/// meter ran late, e.g. while its silo was down) and the balance cannot pay them all, it is charged the minutes the
/// balance pays and its end is recorded as <c>balance_exhausted</c> at the end of the last minute paid, exactly as if the
/// meter had found the balance short when that minute began.
/// </remarks>
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

    /// <summary>
    /// What a session that owes <paramref name="owed"/> credits in total, has paid <paramref name="paid"/> and whose customer
    /// has <paramref name="balance"/> left is charged in total: what it owes when it prepaid that much or the balance pays the
    /// rest, else what it paid plus the whole minutes the balance pays (<see cref="FinalCharge.BalanceShort"/>).
    /// </summary>
    public static FinalCharge Settle(long owed, long paid, long balance)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(paid);
        if (owed <= paid || owed - paid <= balance)
        {
            return new FinalCharge(owed, BalanceShort: false);
        }

        return new FinalCharge(paid + Math.Max(0, balance) / CreditsPerMinute * CreditsPerMinute, BalanceShort: true);
    }

    /// <summary>Where a session whose balance ran short ends: at the end of the last minute it paid.</summary>
    public static DateTimeOffset EndOfPaidTime(DateTimeOffset startedAt, long charged) =>
        startedAt + TimeSpan.FromTicks(charged / CreditsPerMinute * TimeSpan.TicksPerMinute);
}

