using UFBrowsers.Customers;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Billing;

/// <summary>
/// Where ledger entries live, with the record of every session they bill. It is the source of truth for money: the
/// CustomerGrain caches the balance, the last entry id and its active sessions, and rebuilds them from here when it
/// activates. Entries are append-only and unique per customer by id and by idempotency key. A session's record changes
/// in the same transaction as the entry that opens, settles or cancels it, so the two never disagree after a crash.
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

    /// <summary>
    /// Appends every entry or none (one statement): none when any of their idempotency keys was used before, and then
    /// false. For changes that are one step to the customer, such as a credit period's expiry and grant.
    /// </summary>
    Task<bool> AppendAllAsync(string customerId, IReadOnlyList<LedgerEntry> entries);

    /// <summary>
    /// Appends the session's <paramref name="hold"/> and records the session as active for start attempt
    /// <paramref name="attempt"/>, both or neither. When the hold's idempotency key was used before, the existing entry is
    /// returned and nothing is written.
    /// </summary>
    Task<LedgerAppendResult> OpenSessionAsync(string customerId, string sessionId, int attempt, LedgerEntry hold);

    /// <summary>
    /// Records an active session as ended (<paramref name="closing"/>: charged in all, why, when) and appends its final
    /// charge or refund if there is one; both or neither. Closing a session that is not active changes nothing.
    /// </summary>
    Task<LedgerAppendResult?> CloseSessionAsync(string customerId, SessionClosing closing, LedgerEntry? final);

    /// <summary>Forgets a session that never got a browser and appends the refund of its hold if there is one; both or neither.</summary>
    Task<LedgerAppendResult?> CancelSessionAsync(string customerId, string sessionId, LedgerEntry? refund);

    /// <summary>The customer's active sessions: the credits each has paid so far (the negated sum of its entries) and its start attempt.</summary>
    Task<IReadOnlyDictionary<string, ActiveSession>> ActiveSessionsAsync(string customerId);

    Task<SessionSummary?> FindSessionAsync(string customerId, string sessionId);

    /// <summary>Sessions newest first with sequence below <paramref name="before"/>, optionally of one status.</summary>
    Task<SessionPage> SessionPageAsync(string customerId, SessionStatus? status, int limit, long? before);
}
