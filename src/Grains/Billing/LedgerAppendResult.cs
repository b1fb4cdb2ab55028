using UFBrowsers.Customers;

namespace UFBrowsers.Grains.Billing;

/// <summary>The entry as stored, and whether this append wrote it (false: its idempotency key was used before).</summary>
public sealed record LedgerAppendResult(LedgerEntry Entry, bool Created);
