using Npgsql;
using NpgsqlTypes;
using UFBrowsers.Grains.Files;

namespace UFBrowsers.Silo.Persistence;

/// <summary>
/// Session downloads in PostgreSQL (<c>session_files</c>, <c>session_file_chunks</c>, migration 0010): every API replica reads
/// the same files, and they go with the rest of the database's backups. A file's contents are written in one transaction,
/// 1 MiB chunks at a time, and read back chunk by chunk, so neither side holds a whole file in memory.
/// </summary>
public sealed class PostgresSessionFileStore(NpgsqlDataSource dataSource) : ISessionFileStore
{
    public const int ChunkBytes = 1024 * 1024;

    private const string Columns = "session_id, customer_id, name, size_bytes, stored_bytes, truncated, completed_at, expires_at";

    public async Task RegisterAsync(IReadOnlyList<StoredDownload> downloads, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO session_files ({Columns})
            SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::text[], $4::bigint[], $5::bigint[], $6::boolean[], $7::timestamptz[], $8::timestamptz[])
            ON CONFLICT (session_id, name) DO NOTHING
            """);
        command.Parameters.AddWithValue(downloads.Select(d => d.SessionId).ToArray());
        command.Parameters.AddWithValue(downloads.Select(d => d.CustomerId).ToArray());
        command.Parameters.AddWithValue(downloads.Select(d => d.Name).ToArray());
        command.Parameters.AddWithValue(downloads.Select(d => d.SizeBytes).ToArray());
        command.Parameters.AddWithValue(downloads.Select(d => d.StoredBytes).ToArray());
        command.Parameters.AddWithValue(downloads.Select(d => d.Truncated).ToArray());
        command.Parameters.AddWithValue(downloads.Select(d => d.CompletedAt.ToUniversalTime()).ToArray());
        command.Parameters.AddWithValue(downloads.Select(d => d.ExpiresAt.ToUniversalTime()).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long> WriteContentAsync(string sessionId, string name, Stream content, long bytes, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long fileId;
        await using (var find = new NpgsqlCommand("SELECT file_id FROM session_files WHERE session_id = $1 AND name = $2 FOR UPDATE", connection, transaction))
        {
            find.Parameters.AddWithValue(sessionId);
            find.Parameters.AddWithValue(name);
            fileId = (long?)await find.ExecuteScalarAsync(cancellationToken)
                     ?? throw new InvalidOperationException($"Download '{name}' of session {sessionId} was not registered.");
        }

        await using (var clear = new NpgsqlCommand("DELETE FROM session_file_chunks WHERE file_id = $1", connection, transaction))
        {
            clear.Parameters.AddWithValue(fileId);
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }

        var buffer = new byte[ChunkBytes];
        var stored = 0L;
        for (var seq = 0; stored < bytes; seq++)
        {
            var filled = 0;
            var want = (int)Math.Min(ChunkBytes, bytes - stored);
            while (filled < want && await content.ReadAsync(buffer.AsMemory(filled, want - filled), cancellationToken) is var read and > 0)
            {
                filled += read;
            }

            if (filled == 0)
            {
                break;
            }

            await using var insert = new NpgsqlCommand("INSERT INTO session_file_chunks (file_id, seq, data) VALUES ($1, $2, $3)", connection, transaction);
            insert.Parameters.AddWithValue(fileId);
            insert.Parameters.AddWithValue(seq);
            insert.Parameters.Add(new NpgsqlParameter { Value = new ArraySegment<byte>(buffer, 0, filled), NpgsqlDbType = NpgsqlDbType.Bytea });
            await insert.ExecuteNonQueryAsync(cancellationToken);
            stored += filled;
        }

        await using (var update = new NpgsqlCommand("UPDATE session_files SET stored_bytes = $2, truncated = $2 < size_bytes WHERE file_id = $1", connection, transaction))
        {
            update.Parameters.AddWithValue(fileId);
            update.Parameters.AddWithValue(stored);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    public async Task<IReadOnlyList<StoredDownload>> ListAsync(string sessionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM session_files WHERE session_id = $1 AND expires_at > $2 ORDER BY completed_at, name");
        command.Parameters.AddWithValue(sessionId);
        command.Parameters.AddWithValue(now.ToUniversalTime());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var files = new List<StoredDownload>();
        while (await reader.ReadAsync(cancellationToken))
        {
            files.Add(new StoredDownload(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetBoolean(5),
                reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7)));
        }

        return files;
    }

    public async Task<FileContent?> OpenAsync(string sessionId, string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT file_id, stored_bytes FROM session_files WHERE session_id = $1 AND name = $2 AND expires_at > $3");
        command.Parameters.AddWithValue(sessionId);
        command.Parameters.AddWithValue(name);
        command.Parameters.AddWithValue(now.ToUniversalTime());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new FileContent(new ChunkedFileStream(dataSource, reader.GetInt64(0), reader.GetInt64(1)), reader.GetInt64(1))
            : null;
    }

    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM session_files WHERE expires_at <= $1");
        command.Parameters.AddWithValue(now.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
