using UFBrowsers.Customers;
using UFBrowsers.Grains.Billing;
using UFBrowsers.Silo.Persistence.Memory;

namespace UFBrowsers.Billing.Tests.Infrastructure;

/// <summary>The in-memory ledger, whose appends can be made to fail as a database outage would.</summary>
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
}
