using Npgsql;
using UFBrowsers.Customers;
using UFBrowsers.Grains.Billing;

namespace UFBrowsers.Silo.Persistence;

/// <summary>The ledger in PostgreSQL (<c>ledger</c> table, migration 0005).</summary>
public sealed class PostgresLedgerStore(NpgsqlDataSource dataSource) : ILedgerStore
{
    private const string Columns = "entry_id, kind, amount, balance_after, session_id, reason, created_at, idempotency_key";

    public async Task<LedgerAppendResult> AppendAsync(string customerId, LedgerEntry entry)
    {
        await using var insert = dataSource.CreateCommand($"""
            INSERT INTO ledger (customer_id, {Columns})
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (customer_id, idempotency_key) DO NOTHING
            """);
        insert.Parameters.AddWithValue(customerId);
        insert.Parameters.AddWithValue(entry.Id);
        insert.Parameters.AddWithValue(KindName(entry.Kind));
        insert.Parameters.AddWithValue(entry.Amount);
        insert.Parameters.AddWithValue(entry.BalanceAfter);
        insert.Parameters.AddWithValue((object?)entry.SessionId ?? DBNull.Value);
        insert.Parameters.AddWithValue(entry.Reason);
        insert.Parameters.AddWithValue(entry.At.ToUniversalTime());
        insert.Parameters.AddWithValue(entry.IdempotencyKey);
        if (await insert.ExecuteNonQueryAsync() == 1)
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

    private static string KindName(LedgerEntryKind kind) => kind.ToString().ToLowerInvariant();
}
