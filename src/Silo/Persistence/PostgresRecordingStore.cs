using Npgsql;
using UFBrowsers.Grains.Recordings;

namespace UFBrowsers.Silo.Persistence;

/// <summary>Session recordings in PostgreSQL (<c>recordings</c> and <c>recording_chunks</c>, migration 0011).</summary>
public sealed class PostgresRecordingStore(NpgsqlDataSource dataSource) : IRecordingStore
{
    public async Task BeginAsync(RecordingStart start, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO recordings (session_id, customer_id, started_at, expires_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (session_id) DO NOTHING
            """);
        command.Parameters.AddWithValue(start.SessionId);
        command.Parameters.AddWithValue(start.CustomerId);
        command.Parameters.AddWithValue(start.StartedAt);
        command.Parameters.AddWithValue(start.ExpiresAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<RecordingAppend> AppendAsync(string sessionId, RecordingChunk chunk, long maxBytes, CancellationToken cancellationToken)
    {
        // One statement: the limit is checked against the row as it is locked for the update, so appends never pass it
        // together; past the limit the row is marked truncated instead, and the chunk is not inserted.
        await using var command = dataSource.CreateCommand("""
            WITH recording AS (
                UPDATE recordings
                SET bytes_stored = bytes_stored + CASE WHEN bytes_stored + $6 <= $7 THEN $6 ELSE 0 END,
                    raw_bytes = raw_bytes + CASE WHEN bytes_stored + $6 <= $7 THEN $5 ELSE 0 END,
                    chunks = chunks + CASE WHEN bytes_stored + $6 <= $7 THEN 1 ELSE 0 END,
                    truncated = bytes_stored + $6 > $7
                WHERE session_id = $1 AND ended_at IS NULL AND NOT truncated
                RETURNING NOT truncated AS appended
            ), chunk AS (
                INSERT INTO recording_chunks (session_id, sequence, page_id, at, raw_bytes, events)
                SELECT $1, $2, $3, $4, $5, $8 FROM recording WHERE appended
                ON CONFLICT (session_id, sequence) DO NOTHING
            )
            SELECT appended FROM recording
            """);
        command.Parameters.AddWithValue(sessionId);
        command.Parameters.AddWithValue(chunk.Sequence);
        command.Parameters.AddWithValue(chunk.PageId);
        command.Parameters.AddWithValue(chunk.At);
        command.Parameters.AddWithValue(chunk.RawBytes);
        command.Parameters.AddWithValue((long)chunk.Events.Length);
        command.Parameters.AddWithValue(maxBytes);
        command.Parameters.AddWithValue(chunk.Events);
        var appended = await command.ExecuteScalarAsync(cancellationToken);
        return appended switch
        {
            true => RecordingAppend.Appended,
            false => RecordingAppend.Truncated,
            _ => RecordingAppend.Closed,
        };
    }

    public async Task FinishAsync(string sessionId, DateTimeOffset endedAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE recordings SET ended_at = $2 WHERE session_id = $1 AND ended_at IS NULL");
        command.Parameters.AddWithValue(sessionId);
        command.Parameters.AddWithValue(endedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<RecordingInfo?> GetAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT customer_id, started_at, ended_at, truncated, bytes_stored, raw_bytes, chunks, expires_at
            FROM recordings WHERE session_id = $1
            """);
        command.Parameters.AddWithValue(sessionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new RecordingInfo(
            sessionId, reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1),
            reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2), reader.GetBoolean(3), reader.GetInt64(4),
            reader.GetInt64(5), reader.GetInt32(6), reader.GetFieldValue<DateTimeOffset>(7));
    }

    public async Task<IReadOnlyList<RecordingChunk>> ReadChunksAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT page_id, sequence, at, raw_bytes, events FROM recording_chunks WHERE session_id = $1 ORDER BY sequence");
        command.Parameters.AddWithValue(sessionId);
        var chunks = new List<RecordingChunk>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            chunks.Add(new RecordingChunk(reader.GetString(0), reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetInt32(3), reader.GetFieldValue<byte[]>(4)));
        }

        return chunks;
    }

    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM recordings WHERE expires_at < $1");
        command.Parameters.AddWithValue(now);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
