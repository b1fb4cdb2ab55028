using UFBrowsers.Customers;
using UFBrowsers.Grains.Billing;

namespace UFBrowsers.Silo.Persistence.Memory;

/// <summary>The ledger in process memory, for fast tests and throwaway local runs: nothing survives a restart.</summary>
public sealed class InMemoryLedgerStore : ILedgerStore
{
    private readonly Dictionary<string, CustomerLedger> _ledgers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public Task<LedgerAppendResult> AppendAsync(string customerId, LedgerEntry entry)
    {
        lock (_gate)
        {
            var ledger = For(customerId);
            if (ledger.ByKey.TryGetValue(entry.IdempotencyKey, out var existing))
            {
                return Task.FromResult(new LedgerAppendResult(existing, false));
            }

            if (entry.Id != ledger.Entries.Count + 1)
            {
                throw new InvalidOperationException($"Ledger entry {entry.Id} of '{customerId}' is out of sequence (last is {ledger.Entries.Count}).");
            }

            ledger.Entries.Add(entry);
            ledger.ByKey[entry.IdempotencyKey] = entry;
            return Task.FromResult(new LedgerAppendResult(entry, true));
        }
    }

    public Task<LedgerEntry?> FindAsync(string customerId, string idempotencyKey)
    {
        lock (_gate)
        {
            return Task.FromResult(For(customerId).ByKey.GetValueOrDefault(idempotencyKey));
        }
    }

    public Task<LedgerEntry?> LastAsync(string customerId)
    {
        lock (_gate)
        {
            var entries = For(customerId).Entries;
            return Task.FromResult(entries.Count == 0 ? null : entries[^1]);
        }
    }

    public Task<LedgerPage> PageAsync(string customerId, int limit, long? before)
    {
        lock (_gate)
        {
            var entries = For(customerId).Entries;
            var end = (int)Math.Clamp(before.HasValue ? before.Value - 1 : entries.Count, 0, entries.Count);
            var start = Math.Max(0, end - limit);
            var page = new List<LedgerEntry>(end - start);
            for (var i = end - 1; i >= start; i--)
            {
                page.Add(entries[i]);
            }

            return Task.FromResult(new LedgerPage(page, start > 0 ? entries[start].Id : null));
        }
    }

    public Task<LedgerTotals> TotalsAsync(string customerId)
    {
        lock (_gate)
        {
            var entries = For(customerId).Entries;
            return Task.FromResult(new LedgerTotals(entries.Count, entries.Sum(e => e.Amount)));
        }
    }

    private CustomerLedger For(string customerId)
    {
        if (!_ledgers.TryGetValue(customerId, out var ledger))
        {
            _ledgers[customerId] = ledger = new CustomerLedger();
        }

        return ledger;
    }

    private sealed class CustomerLedger
    {
        public List<LedgerEntry> Entries { get; } = [];

        public Dictionary<string, LedgerEntry> ByKey { get; } = new(StringComparer.Ordinal);
    }
}
