using UFBrowsers.Customers;
using UFBrowsers.Grains.Billing;
using UFBrowsers.Sessions;

namespace UFBrowsers.TestSupport.Faults;

/// <summary>A ledger store whose writes go through a <see cref="FaultPlan"/>; reads pass straight through.</summary>
public sealed class FaultInjectingLedgerStore(ILedgerStore inner, FaultPlan faults, string site) : ILedgerStore
{
    public Task<LedgerAppendResult> AppendAsync(string customerId, LedgerEntry entry) =>
        faults.AroundAsync(FaultSteps.LedgerAppend, entry.SessionId, site, () => inner.AppendAsync(customerId, entry));

    public Task<bool> AppendAllAsync(string customerId, IReadOnlyList<LedgerEntry> entries) =>
        faults.AroundAsync(FaultSteps.LedgerAppend, null, site, () => inner.AppendAllAsync(customerId, entries));

    public Task<LedgerAppendResult> OpenSessionAsync(string customerId, string sessionId, int attempt, LedgerEntry hold) =>
        faults.AroundAsync(FaultSteps.LedgerOpenSession, sessionId, site, () => inner.OpenSessionAsync(customerId, sessionId, attempt, hold));

    public Task<LedgerAppendResult?> CloseSessionAsync(string customerId, SessionClosing closing, LedgerEntry? final) =>
        faults.AroundAsync(FaultSteps.LedgerCloseSession, closing.SessionId, site, () => inner.CloseSessionAsync(customerId, closing, final));

    public Task<LedgerAppendResult?> CancelSessionAsync(string customerId, string sessionId, LedgerEntry? refund) =>
        faults.AroundAsync(FaultSteps.LedgerCancelSession, sessionId, site, () => inner.CancelSessionAsync(customerId, sessionId, refund));

    public Task<LedgerEntry?> FindAsync(string customerId, string idempotencyKey) => inner.FindAsync(customerId, idempotencyKey);

    public Task<LedgerEntry?> LastAsync(string customerId) => inner.LastAsync(customerId);

    public Task<LedgerPage> PageAsync(string customerId, int limit, long? before) => inner.PageAsync(customerId, limit, before);

    public Task<LedgerTotals> TotalsAsync(string customerId) => inner.TotalsAsync(customerId);

    public Task<IReadOnlyDictionary<string, ActiveSession>> ActiveSessionsAsync(string customerId) => inner.ActiveSessionsAsync(customerId);

    public Task<SessionSummary?> FindSessionAsync(string customerId, string sessionId) => inner.FindSessionAsync(customerId, sessionId);

    public Task<SessionPage> SessionPageAsync(string customerId, SessionStatus? status, int limit, long? before) =>
        inner.SessionPageAsync(customerId, status, limit, before);
}
