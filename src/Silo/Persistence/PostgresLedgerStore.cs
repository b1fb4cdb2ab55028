using Npgsql;
using UFBrowsers.Customers;
using UFBrowsers.Grains.Billing;
using UFBrowsers.Sessions;

namespace UFBrowsers.Silo.Persistence;

/// <summary>
/// The ledger and the sessions it bills in PostgreSQL (<c>ledger</c>, migration 0005; <c>customer_sessions</c>, 0007 and 0008).
/// A session's record and its entry change in one statement (data-modifying CTEs), so both or neither are written.
/// </summary>
public sealed class PostgresLedgerStore(NpgsqlDataSource dataSource) : ILedgerStore
{
    private const string Columns = "entry_id, kind, amount, balance_after, session_id, reason, created_at, idempotency_key";

    /// <summary>Inserts the entry bound to $1..$9 unless its key was used; yields its entry_id and created_at when it was written.</summary>
    private const string InsertEntry = $"""
        INSERT INTO ledger (customer_id, {Columns})
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        ON CONFLICT (customer_id, idempotency_key) DO NOTHING
        RETURNING entry_id, created_at
        """;

    /// <summary>Ends the customer's ($1) active session whose id is parameter <paramref name="session"/>; the charge, reason and end time follow it.</summary>
    private static string CloseSession(int session) =>
        $"""
        UPDATE customer_sessions SET status = 'ended', credits_charged = ${session + 1}, end_reason = ${session + 2}, ended_at = ${session + 3}
        WHERE customer_id = $1 AND session_id = ${session} AND status = 'active'
        """;

    private static string ForgetSession(int session) => $"DELETE FROM customer_sessions WHERE customer_id = $1 AND session_id = ${session}";

    private const string SessionColumns = "session_id, status, created_at, sequence, credits_charged, ended_at, end_reason";

    public Task<LedgerAppendResult> AppendAsync(string customerId, LedgerEntry entry) =>
        WriteAsync(customerId, entry, $"WITH entry AS ({InsertEntry}) SELECT count(*) FROM entry");

    public async Task<bool> AppendAllAsync(string customerId, IReadOnlyList<LedgerEntry> entries)
    {
        // One statement, and none of the rows when any key was used: no ON CONFLICT, so a racing writer's key fails it whole.
        await using var command = dataSource.CreateCommand("""
            INSERT INTO ledger (customer_id, entry_id, kind, amount, balance_after, session_id, reason, created_at, idempotency_key)
            SELECT $1, e.entry_id, e.kind, e.amount, e.balance_after, e.session_id, e.reason, e.created_at, e.idempotency_key
            FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::timestamptz[], $9::text[])
                AS e(entry_id, kind, amount, balance_after, session_id, reason, created_at, idempotency_key)
            WHERE NOT EXISTS (SELECT 1 FROM ledger WHERE customer_id = $1 AND idempotency_key = ANY($9::text[]))
            """);
        command.Parameters.AddWithValue(customerId);
        command.Parameters.AddWithValue(entries.Select(e => e.Id).ToArray());
        command.Parameters.AddWithValue(entries.Select(e => KindName(e.Kind)).ToArray());
        command.Parameters.AddWithValue(entries.Select(e => e.Amount).ToArray());
        command.Parameters.AddWithValue(entries.Select(e => e.BalanceAfter).ToArray());
        command.Parameters.AddWithValue(entries.Select(e => e.SessionId).ToArray());
        command.Parameters.AddWithValue(entries.Select(e => e.Reason).ToArray());
        command.Parameters.AddWithValue(entries.Select(e => e.At.ToUniversalTime()).ToArray());
        command.Parameters.AddWithValue(entries.Select(e => e.IdempotencyKey).ToArray());
        return await command.ExecuteNonQueryAsync() == entries.Count;
    }

    public Task<LedgerAppendResult> OpenSessionAsync(string customerId, string sessionId, int attempt, LedgerEntry hold) =>
        WriteAsync(customerId, hold, $"""
            WITH entry AS ({InsertEntry}),
            opened AS (
                INSERT INTO customer_sessions (customer_id, session_id, status, created_at, attempt)
                SELECT $1, $10, 'active', created_at, $11 FROM entry
                ON CONFLICT (customer_id, session_id) DO NOTHING)
            SELECT count(*) FROM entry
            """, sessionId, attempt);

    public async Task<LedgerAppendResult?> CloseSessionAsync(string customerId, SessionClosing closing, LedgerEntry? final)
    {
        object[] record = [closing.SessionId, closing.CreditsCharged, ReasonName(closing.Reason), closing.EndedAt.ToUniversalTime()];
        if (final is not null)
        {
            return await WriteAsync(customerId, final, $"WITH entry AS ({InsertEntry}), closed AS ({CloseSession(10)}) SELECT count(*) FROM entry", record);
        }

        await ExecuteAsync(CloseSession(2), [customerId, .. record]);
        return null;
    }

    public async Task<LedgerAppendResult?> CancelSessionAsync(string customerId, string sessionId, LedgerEntry? refund)
    {
        if (refund is not null)
        {
            return await WriteAsync(customerId, refund, $"WITH entry AS ({InsertEntry}), forgotten AS ({ForgetSession(10)}) SELECT count(*) FROM entry", sessionId);
        }

        await ExecuteAsync(ForgetSession(2), customerId, sessionId);
        return null;
    }

    public async Task<IReadOnlyDictionary<string, ActiveSession>> ActiveSessionsAsync(string customerId)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT s.session_id, coalesce(-sum(l.amount), 0)::bigint, s.attempt
            FROM customer_sessions s
            LEFT JOIN ledger l ON l.customer_id = s.customer_id AND l.session_id = s.session_id
            WHERE s.customer_id = $1 AND s.status = 'active'
            GROUP BY s.session_id, s.attempt
            """);
        command.Parameters.AddWithValue(customerId);
        var active = new Dictionary<string, ActiveSession>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            active[reader.GetString(0)] = new ActiveSession(reader.GetInt64(1), reader.GetInt32(2));
        }

        return active;
    }

    public async Task<SessionSummary?> FindSessionAsync(string customerId, string sessionId)
    {
        await using var command = dataSource.CreateCommand($"SELECT {SessionColumns} FROM customer_sessions WHERE customer_id = $1 AND session_id = $2");
        command.Parameters.AddWithValue(customerId);
        command.Parameters.AddWithValue(sessionId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadSession(reader) : null;
    }

    public async Task<SessionPage> SessionPageAsync(string customerId, SessionStatus? status, int limit, long? before)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {SessionColumns} FROM customer_sessions
            WHERE customer_id = $1 AND sequence < $2 AND ($3::text IS NULL OR status = $3)
            ORDER BY sequence DESC LIMIT $4
            """);
        command.Parameters.AddWithValue(customerId);
        command.Parameters.AddWithValue(before ?? long.MaxValue);
        command.Parameters.Add(new NpgsqlParameter { Value = status is { } s ? StatusName(s) : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.AddWithValue(limit + 1);
        var sessions = new List<SessionSummary>(limit + 1);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            sessions.Add(ReadSession(reader));
        }

        if (sessions.Count <= limit)
        {
            return new SessionPage(sessions, null);
        }

        sessions.RemoveAt(limit);
        return new SessionPage(sessions, sessions[^1].Sequence);
    }

    private async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }

        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Runs <paramref name="sql"/> (which inserts <paramref name="entry"/> as <see cref="InsertEntry"/> does and counts the
    /// rows it wrote) with the entry bound to $1..$9 and <paramref name="extra"/> from $10; reads the existing entry back when
    /// the idempotency key had been used.
    /// </summary>
    private async Task<LedgerAppendResult> WriteAsync(string customerId, LedgerEntry entry, string sql, params object[] extra)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue(customerId);
        command.Parameters.AddWithValue(entry.Id);
        command.Parameters.AddWithValue(KindName(entry.Kind));
        command.Parameters.AddWithValue(entry.Amount);
        command.Parameters.AddWithValue(entry.BalanceAfter);
        command.Parameters.AddWithValue((object?)entry.SessionId ?? DBNull.Value);
        command.Parameters.AddWithValue(entry.Reason);
        command.Parameters.AddWithValue(entry.At.ToUniversalTime());
        command.Parameters.AddWithValue(entry.IdempotencyKey);
        foreach (var value in extra)
        {
            command.Parameters.AddWithValue(value);
        }

        if ((long)(await command.ExecuteScalarAsync())! == 1)
        {
            return new LedgerAppendResult(entry, true);
        }

        var existing = await FindAsync(customerId, entry.IdempotencyKey)
            ?? throw new InvalidOperationException($"Ledger entry '{entry.IdempotencyKey}' of '{customerId}' conflicted but cannot be read.");
        return new LedgerAppendResult(existing, false);
    }

    public Task<LedgerEntry?> FindAsync(string customerId, string idempotencyKey) =>
        SingleAsync($"SELECT {Columns} FROM ledger WHERE customer_id = $1 AND idempotency_key = $2", customerId, idempotencyKey);

    public Task<LedgerEntry?> LastAsync(string customerId) =>
        SingleAsync($"SELECT {Columns} FROM ledger WHERE customer_id = $1 ORDER BY entry_id DESC LIMIT 1", customerId);

    public async Task<LedgerPage> PageAsync(string customerId, int limit, long? before)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM ledger
            WHERE customer_id = $1 AND entry_id < $2
            ORDER BY entry_id DESC LIMIT $3
            """);
        command.Parameters.AddWithValue(customerId);
        command.Parameters.AddWithValue(before ?? long.MaxValue);
        command.Parameters.AddWithValue(limit + 1);
        var entries = new List<LedgerEntry>(limit + 1);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            entries.Add(Read(reader));
        }

        if (entries.Count <= limit)
        {
            return new LedgerPage(entries, null);
        }

        entries.RemoveAt(limit);
        return new LedgerPage(entries, entries[^1].Id);
    }

    public async Task<LedgerTotals> TotalsAsync(string customerId)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*), coalesce(sum(amount), 0) FROM ledger WHERE customer_id = $1");
        command.Parameters.AddWithValue(customerId);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new LedgerTotals(reader.GetInt64(0), reader.GetInt64(1));
    }

    private async Task<LedgerEntry?> SingleAsync(string sql, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }

        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    private static LedgerEntry Read(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        Enum.Parse<LedgerEntryKind>(reader.GetString(1), ignoreCase: true),
        reader.GetInt64(2),
        reader.GetInt64(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.GetString(5),
        reader.GetFieldValue<DateTimeOffset>(6),
        reader.GetString(7));

    private static SessionSummary ReadSession(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1) == "active" ? SessionStatus.Active : SessionStatus.Ended,
        reader.GetFieldValue<DateTimeOffset>(2),
        reader.GetInt64(3),
        reader.GetInt64(4),
        reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
        reader.IsDBNull(6) ? null : Enum.Parse<EndReason>(reader.GetString(6)));

    private static string KindName(LedgerEntryKind kind) => kind.ToString().ToLowerInvariant();

    private static string ReasonName(EndReason reason) => reason.ToString();

    private static string StatusName(SessionStatus status) => status == SessionStatus.Active ? "active" : "ended";
}
