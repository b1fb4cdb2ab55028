namespace UFBrowsers.Grains.Billing;

/// <summary>
/// How large a balance may grow: 10^15 credits (US$10 trillion), far beyond any real account. Keeping every balance and
/// every adjustment inside it keeps each sum the product makes of ledger amounts (balances, usage reports, the audit's
/// ledger sum) far from the limits of a 64-bit integer, so none can wrap around into a wrong, plausible number.
/// </summary>
public static class CreditLimits
{
    public const long MaxBalance = 1_000_000_000_000_000;

    /// <summary>Whether adding <paramref name="amount"/> to <paramref name="balance"/> would leave the range (it never overflows here).</summary>
    public static bool Exceeds(long balance, long amount) =>
        amount is > MaxBalance or < -MaxBalance || balance + amount > MaxBalance;
}
