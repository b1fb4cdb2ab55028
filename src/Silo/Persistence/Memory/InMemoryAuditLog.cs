using UFBrowsers.Grains.Audit;

namespace UFBrowsers.Silo.Persistence.Memory;

/// <summary>The audit log in process memory, for tests and throwaway runs; keeps the most recent records only.</summary>
public sealed class InMemoryAuditLog : IAuditLog
{
    private const int Capacity = 100_000;
    private readonly LinkedList<AuditRecord> _records = new();
    private readonly Lock _gate = new();

    public Task AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _records.AddFirst(record);
            if (_records.Count > Capacity)
            {
                _records.RemoveLast();
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditRecord>> ListAsync(string customerId, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<AuditRecord>>(_records.Where(r => r.CustomerId == customerId).Take(limit).ToList());
        }
    }
}
