using UFBrowsers.Customers;
using UFBrowsers.Grains.Billing;
using UFBrowsers.Sessions;
using UFBrowsers.Silo.Persistence.Memory;

namespace UFBrowsers.Billing.Tests.Infrastructure;

/// <summary>The in-memory ledger, whose writes can be made to fail as a database outage would.</summary>
public sealed class FailingLedgerStore : ILedgerStore
{
    private readonly InMemoryLedgerStore _inner = new();

    public volatile bool FailAppends;

    public Task<LedgerAppendResult> AppendAsync(string customerId, LedgerEntry entry) =>
        FailAppends ? throw new InvalidOperationException("injected ledger outage") : _inner.AppendAsync(customerId, entry);

    public Task<LedgerEntry?> FindAsync(string customerId, string idempotencyKey) => _inner.FindAsync(customerId, idempotencyKey);

    public Task<LedgerEntry?> LastAsync(string customerId) => _inner.LastAsync(customerId);

    public Task<LedgerPage> PageAsync(string customerId, int limit, long? before) => _inner.PageAsync(customerId, limit, before);

    public Task<LedgerTotals> TotalsAsync(string customerId) => _inner.TotalsAsync(customerId);

    public Task<bool> AppendAllAsync(string customerId, IReadOnlyList<LedgerEntry> entries) =>
        FailAppends ? throw new InvalidOperationException("injected ledger outage") : _inner.AppendAllAsync(customerId, entries);

    public Task<LedgerAppendResult> OpenSessionAsync(string customerId, string sessionId, int attempt, LedgerEntry hold) =>
        FailAppends ? throw new InvalidOperationException("injected ledger outage") : _inner.OpenSessionAsync(customerId, sessionId, attempt, hold);

    public Task<LedgerAppendResult?> CloseSessionAsync(string customerId, SessionClosing closing, LedgerEntry? final) =>
        FailAppends ? throw new InvalidOperationException("injected ledger outage") : _inner.CloseSessionAsync(customerId, closing, final);

    public Task<LedgerAppendResult?> CancelSessionAsync(string customerId, string sessionId, LedgerEntry? refund) =>
        FailAppends ? throw new InvalidOperationException("injected ledger outage") : _inner.CancelSessionAsync(customerId, sessionId, refund);

    public Task<IReadOnlyDictionary<string, ActiveSession>> ActiveSessionsAsync(string customerId) => _inner.ActiveSessionsAsync(customerId);

    public Task<SessionSummary?> FindSessionAsync(string customerId, string sessionId) => _inner.FindSessionAsync(customerId, sessionId);

    public Task<SessionPage> SessionPageAsync(string customerId, SessionStatus? status, int limit, long? before) =>
        _inner.SessionPageAsync(customerId, status, limit, before);
}
