using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;
using UFBrowsers.Grains.Audit;

namespace UFBrowsers.Silo.Persistence;

/// <summary>
/// The audit log in PostgreSQL (<c>audit_log</c> table, migration 0006), written by group commit: a request's append
/// completes once its record is stored, and the records of requests that arrive while one insert runs go together in
/// the next, so under load a single statement carries many records and a lone request still waits for no timer.
/// </summary>
public sealed class PostgresAuditLog : IAuditLog, IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly NpgsqlDataSource _dataSource;
    private readonly Channel<PendingRecord> _pending = Channel.CreateUnbounded<PendingRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private readonly bool _ownsDataSource;

    public PostgresAuditLog(NpgsqlDataSource dataSource, bool ownsDataSource = false)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _writer = Task.Run(WriteBatchesAsync);
    }

    public async Task AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        var pending = new PendingRecord(Bounded(record), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_pending.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(PostgresAuditLog));
        }

        await pending.Stored.Task.WaitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditRecord>> ListAsync(string customerId, int limit, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
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

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer;
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync();
        }
    }

    private async Task WriteBatchesAsync()
    {
        var batch = new List<PendingRecord>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                await InsertAsync(batch.Select(p => p.Record).ToList());
                batch.ForEach(p => p.Stored.TrySetResult());
            }
            catch (PostgresException) when (batch.Count > 1)
            {
                // One record the table refuses must not cost the others theirs: store them one by one.
                foreach (var pending in batch)
                {
                    try
                    {
                        await InsertAsync([pending.Record]);
                        pending.Stored.TrySetResult();
                    }
                    catch (Exception ex)
                    {
                        pending.Stored.TrySetException(ex);
                    }
                }
            }
            catch (Exception ex)
            {
                batch.ForEach(p => p.Stored.TrySetException(ex));
            }

            batch.Clear();
        }
    }

    private async Task InsertAsync(IReadOnlyList<AuditRecord> records)
    {
        await using var command = _dataSource.CreateCommand("""
            INSERT INTO audit_log (at, actor_type, actor_id, customer_id, action, target, request_id, outcome)
            SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
            """);
        command.Parameters.Add(Array(records.Select(r => r.At.ToUniversalTime()).ToArray(), NpgsqlDbType.TimestampTz));
        command.Parameters.Add(Array(records.Select(r => r.ActorType).ToArray(), NpgsqlDbType.Text));
        command.Parameters.Add(Array(records.Select(r => r.ActorId).ToArray(), NpgsqlDbType.Text));
        command.Parameters.Add(Array(records.Select(r => r.CustomerId).ToArray(), NpgsqlDbType.Text));
        command.Parameters.Add(Array(records.Select(r => r.Action).ToArray(), NpgsqlDbType.Text));
        command.Parameters.Add(Array(records.Select(r => r.Target).ToArray(), NpgsqlDbType.Text));
        command.Parameters.Add(Array(records.Select(r => r.RequestId).ToArray(), NpgsqlDbType.Text));
        command.Parameters.Add(Array(records.Select(r => r.Outcome).ToArray(), NpgsqlDbType.Text));
        await command.ExecuteNonQueryAsync();
    }

    private static NpgsqlParameter Array<T>(T[] values, NpgsqlDbType elementType) =>
        new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | elementType };

    /// <summary>The record cut to the table's column widths, so that no record is refused for its length.</summary>
    private static AuditRecord Bounded(AuditRecord record) => record with
    {
        ActorType = Truncate(record.ActorType, 16)!,
        ActorId = Truncate(record.ActorId, 64),
        CustomerId = Truncate(record.CustomerId, 64),
        Action = Truncate(record.Action, 64)!,
        Target = Truncate(record.Target, 200),
        RequestId = Truncate(record.RequestId, 100),
        Outcome = Truncate(record.Outcome, 32)!,
    };

    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];

    private sealed record PendingRecord(AuditRecord Record, TaskCompletionSource Stored);
}
