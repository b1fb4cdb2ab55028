using UFBrowsers.Customers;

namespace UFBrowsers.Grains.Billing;

/// <summary>
/// Where ledger entries live. It is the source of truth for money: the CustomerGrain caches the balance
/// and the last entry id, and rebuilds them from here when it activates. Entries are append-only and
/// unique per customer by id and by idempotency key.
/// </summary>
public interface ILedgerStore
{
    /// <summary>
    /// Appends <paramref name="entry"/> unless the customer already has an entry with its idempotency key;
    /// then that existing entry is returned and nothing is written.
    /// </summary>
    Task<LedgerAppendResult> AppendAsync(string customerId, LedgerEntry entry);

    Task<LedgerEntry?> FindAsync(string customerId, string idempotencyKey);

    /// <summary>The newest entry, which carries the current balance; null for a customer with no entries.</summary>
    Task<LedgerEntry?> LastAsync(string customerId);

    /// <summary>Entries newest first, with ids below <paramref name="before"/>.</summary>
    Task<LedgerPage> PageAsync(string customerId, int limit, long? before);

    /// <summary>Count and sum of all the customer's entries, computed by the store itself (for audits).</summary>
    Task<LedgerTotals> TotalsAsync(string customerId);
}
