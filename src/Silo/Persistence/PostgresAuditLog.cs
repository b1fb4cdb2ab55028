using Npgsql;
using UFBrowsers.Grains.Audit;

namespace UFBrowsers.Silo.Persistence;

/// <summary>The audit log in PostgreSQL (<c>audit_log</c> table, migration 0006).</summary>
public sealed class PostgresAuditLog(NpgsqlDataSource dataSource) : IAuditLog
{
    public async Task AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO audit_log (at, actor_type, actor_id, customer_id, action, target, request_id, outcome)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """);
        command.Parameters.AddWithValue(record.At.ToUniversalTime());
        command.Parameters.AddWithValue(record.ActorType);
        command.Parameters.AddWithValue((object?)record.ActorId ?? DBNull.Value);
        command.Parameters.AddWithValue((object?)record.CustomerId ?? DBNull.Value);
        command.Parameters.AddWithValue(record.Action);
        command.Parameters.AddWithValue((object?)Truncate(record.Target, 200) ?? DBNull.Value);
        command.Parameters.AddWithValue((object?)Truncate(record.RequestId, 100) ?? DBNull.Value);
        command.Parameters.AddWithValue(record.Outcome);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditRecord>> ListAsync(string customerId, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT at, actor_type, actor_id, customer_id, action, target, request_id, outcome
            FROM audit_log WHERE customer_id = $1 ORDER BY id DESC LIMIT $2
            """);
        command.Parameters.AddWithValue(customerId);
        command.Parameters.AddWithValue(limit);
        var records = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new AuditRecord(
                reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7)));
        }

        return records;
    }

    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];
}
