using UFBrowsers.Customers;
using UFBrowsers.Grains.Billing;
using UFBrowsers.Sessions;

namespace UFBrowsers.Silo.Persistence.Memory;

/// <summary>The ledger in process memory, for fast tests and throwaway local runs: nothing survives a restart.</summary>
public sealed class InMemoryLedgerStore : ILedgerStore
{
    private readonly Dictionary<string, CustomerLedger> _ledgers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private long _lastSequence;

    public Task<LedgerAppendResult> AppendAsync(string customerId, LedgerEntry entry)
    {
        lock (_gate)
        {
            return Task.FromResult(Append(For(customerId), customerId, entry));
        }
    }

    public Task<bool> AppendAllAsync(string customerId, IReadOnlyList<LedgerEntry> entries)
    {
        lock (_gate)
        {
            var ledger = For(customerId);
            if (entries.Any(e => ledger.ByKey.ContainsKey(e.IdempotencyKey)))
            {
                return Task.FromResult(false);
            }

            var expected = ledger.Entries.Count + 1;
            foreach (var entry in entries)
            {
                if (entry.Id != expected++)
                {
                    throw new InvalidOperationException($"Ledger entry {entry.Id} of '{customerId}' is out of sequence (last is {ledger.Entries.Count}).");
                }
            }

            foreach (var entry in entries)
            {
                Append(ledger, customerId, entry);
            }

            return Task.FromResult(true);
        }
    }

    public Task<LedgerAppendResult> OpenSessionAsync(string customerId, string sessionId, int attempt, LedgerEntry hold)
    {
        lock (_gate)
        {
            var ledger = For(customerId);
            var result = Append(ledger, customerId, hold);
            if (result.Created && !ledger.Sessions.ContainsKey(sessionId))
            {
                var summary = new SessionSummary(sessionId, SessionStatus.Active, hold.At, ++_lastSequence, 0);
                ledger.Sessions[sessionId] = summary;
                ledger.Attempts[sessionId] = attempt;
                ledger.SessionOrder.Add(summary.Sequence, sessionId);
            }

            return Task.FromResult(result);
        }
    }

    public Task<LedgerAppendResult?> CloseSessionAsync(string customerId, SessionClosing closing, LedgerEntry? final)
    {
        lock (_gate)
        {
            var ledger = For(customerId);
            var result = final is null ? null : Append(ledger, customerId, final);
            if (ledger.Sessions.TryGetValue(closing.SessionId, out var summary) && summary.Status == SessionStatus.Active)
            {
                ledger.Sessions[closing.SessionId] = summary with
                {
                    Status = SessionStatus.Ended,
                    CreditsCharged = closing.CreditsCharged,
                    EndReason = closing.Reason,
                    EndedAt = closing.EndedAt,
                };
            }

            return Task.FromResult(result);
        }
    }

    public Task<LedgerAppendResult?> CancelSessionAsync(string customerId, string sessionId, LedgerEntry? refund)
    {
        lock (_gate)
        {
            var ledger = For(customerId);
            var result = refund is null ? null : Append(ledger, customerId, refund);
            if (ledger.Sessions.Remove(sessionId, out var summary))
            {
                ledger.SessionOrder.Remove(summary.Sequence);
                ledger.Attempts.Remove(sessionId);
            }

            return Task.FromResult(result);
        }
    }

    public Task<IReadOnlyDictionary<string, ActiveSession>> ActiveSessionsAsync(string customerId)
    {
        lock (_gate)
        {
            var ledger = For(customerId);
            var active = ledger.Sessions.Values.Where(s => s.Status == SessionStatus.Active)
                .ToDictionary(s => s.SessionId, s => new ActiveSession(0, ledger.Attempts.GetValueOrDefault(s.SessionId, 1)), StringComparer.Ordinal);
            foreach (var entry in ledger.Entries)
            {
                if (entry.SessionId is { } id && active.TryGetValue(id, out var session))
                {
                    active[id] = session with { Paid = session.Paid - entry.Amount };
                }
            }

            return Task.FromResult<IReadOnlyDictionary<string, ActiveSession>>(active);
        }
    }

    public Task<SessionSummary?> FindSessionAsync(string customerId, string sessionId)
    {
        lock (_gate)
        {
            return Task.FromResult(For(customerId).Sessions.GetValueOrDefault(sessionId));
        }
    }

    public Task<SessionPage> SessionPageAsync(string customerId, SessionStatus? status, int limit, long? before)
    {
        lock (_gate)
        {
            var ledger = For(customerId);
            var page = new List<SessionSummary>(Math.Min(limit, ledger.Sessions.Count));
            long? next = null;
            // SessionOrder is ascending by sequence; walk it from the newest.
            for (var i = ledger.SessionOrder.Count - 1; i >= 0; i--)
            {
                var summary = ledger.Sessions[ledger.SessionOrder.GetValueAtIndex(i)];
                if (before.HasValue && summary.Sequence >= before.Value || status.HasValue && summary.Status != status.Value)
                {
                    continue;
                }

                if (page.Count == limit)
                {
                    next = page[^1].Sequence;
                    break;
                }

                page.Add(summary);
            }

            return Task.FromResult(new SessionPage(page, next));
        }
    }

    private static LedgerAppendResult Append(CustomerLedger ledger, string customerId, LedgerEntry entry)
    {
        if (ledger.ByKey.TryGetValue(entry.IdempotencyKey, out var existing))
        {
            return new LedgerAppendResult(existing, false);
        }

        if (entry.Id != ledger.Entries.Count + 1)
        {
            throw new InvalidOperationException($"Ledger entry {entry.Id} of '{customerId}' is out of sequence (last is {ledger.Entries.Count}).");
        }

        ledger.Entries.Add(entry);
        ledger.ByKey[entry.IdempotencyKey] = entry;
        return new LedgerAppendResult(entry, true);
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

        public Dictionary<string, SessionSummary> Sessions { get; } = new(StringComparer.Ordinal);

        /// <summary>The start attempt of each session's hold.</summary>
        public Dictionary<string, int> Attempts { get; } = new(StringComparer.Ordinal);

        /// <summary>Session ids by sequence, ascending.</summary>
        public SortedList<long, string> SessionOrder { get; } = [];
    }
}
