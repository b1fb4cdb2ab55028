namespace UFBrowsers.Grains.Audit;

/// <summary>Where audit records are kept (the <c>audit_log</c> table in PostgreSQL).</summary>
public interface IAuditLog
{
    Task AppendAsync(AuditRecord record, CancellationToken cancellationToken);

    /// <summary>The customer's records, newest first.</summary>
    Task<IReadOnlyList<AuditRecord>> ListAsync(string customerId, int limit, CancellationToken cancellationToken);
}
