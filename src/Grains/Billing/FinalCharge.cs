namespace UFBrowsers.Grains.Billing;

/// <summary>A session's total charge at its end, and whether the balance could not pay every minute it used.</summary>
public readonly record struct FinalCharge(long Credits, bool BalanceShort);
