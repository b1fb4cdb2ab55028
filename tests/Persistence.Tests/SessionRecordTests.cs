using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using UFBrowsers.Customers;
using UFBrowsers.Grains.Billing;
using UFBrowsers.Persistence.Tests.Infrastructure;
using UFBrowsers.Sessions;
using UFBrowsers.Silo.Persistence;
using UFBrowsers.Silo.Persistence.Memory;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Persistence.Tests;

/// <summary>
/// The session records kept with the ledger, against both stores: each record changes together with the entry that
/// opens, settles or cancels its session, and the active sessions' payments are the sums of their entries.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SessionRecordTests(PostgresServer server)
{
    public static TheoryData<string> Stores => ["memory", "postgres"];

    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Opening_writes_the_hold_and_an_active_record_and_a_replay_changes_nothing(string kind)
    {
        var (store, customer) = await NewStore(kind, grant: 10);

        var opened = await store.OpenSessionAsync(customer, "s1", 1, Entry(2, LedgerEntryKind.Hold, -1, 9, "s1", "s1:hold:1"));
        var replayed = await store.OpenSessionAsync(customer, "s1", 1, Entry(3, LedgerEntryKind.Hold, -1, 8, "s1", "s1:hold:1"));

        Assert.True(opened.Created);
        Assert.False(replayed.Created);
        Assert.Equal(2, replayed.Entry.Id);
        Assert.Equal((2L, 9L), ((await store.TotalsAsync(customer)).Entries, (await store.TotalsAsync(customer)).Sum));
        var record = await store.FindSessionAsync(customer, "s1");
        Assert.Equal((SessionStatus.Active, 0L, Start), (record!.Status, record.CreditsCharged, record.CreatedAt));
        Assert.Equal(new Dictionary<string, ActiveSession> { ["s1"] = new(1, 1) }, await store.ActiveSessionsAsync(customer));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Active_sessions_paid_is_the_sum_of_each_sessions_entries(string kind)
    {
        var (store, customer) = await NewStore(kind, grant: 100);
        await store.OpenSessionAsync(customer, "a", 1, Entry(2, LedgerEntryKind.Hold, -1, 99, "a", "a:hold:1"));
        await store.OpenSessionAsync(customer, "b", 1, Entry(3, LedgerEntryKind.Hold, -1, 98, "b", "b:hold:1"));
        await store.AppendAsync(customer, Entry(4, LedgerEntryKind.Charge, -1, 97, "a", "a:minute:2"));
        await store.AppendAsync(customer, Entry(5, LedgerEntryKind.Charge, -1, 96, "a", "a:minute:3"));
        await store.OpenSessionAsync(customer, "c", 1, Entry(6, LedgerEntryKind.Hold, -1, 95, "c", "c:hold:1"));
        await store.CloseSessionAsync(customer, new SessionClosing("c", 1, EndReason.Client, Start), null);

        var active = await store.ActiveSessionsAsync(customer);

        Assert.Equal(new Dictionary<string, ActiveSession> { ["a"] = new(3, 1), ["b"] = new(1, 1) }, active);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Closing_records_the_charge_with_its_final_entry_once(string kind)
    {
        var (store, customer) = await NewStore(kind, grant: 10);
        await store.OpenSessionAsync(customer, "s1", 1, Entry(2, LedgerEntryKind.Hold, -1, 9, "s1", "s1:hold:1"));

        var closed = await store.CloseSessionAsync(customer, new SessionClosing("s1", 3, EndReason.IdleTimeout, Start.AddSeconds(150)),
            Entry(3, LedgerEntryKind.Charge, -2, 7, "s1", "s1:settle"));
        var again = await store.CloseSessionAsync(customer, new SessionClosing("s1", 5, EndReason.Client, Start.AddSeconds(290)),
            Entry(4, LedgerEntryKind.Charge, -4, 3, "s1", "s1:settle"));

        Assert.True(closed!.Created);
        Assert.False(again!.Created);
        var record = await store.FindSessionAsync(customer, "s1");
        Assert.Equal((SessionStatus.Ended, 3L, EndReason.IdleTimeout, Start.AddSeconds(150)), (record!.Status, record.CreditsCharged, record.EndReason, record.EndedAt));
        Assert.Equal(7, (await store.TotalsAsync(customer)).Sum);
        Assert.Empty(await store.ActiveSessionsAsync(customer));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_session_record_keeps_the_attempt_its_hold_belongs_to(string kind)
    {
        var (store, customer) = await NewStore(kind, grant: 10);
        await store.OpenSessionAsync(customer, "s1", 1, Entry(2, LedgerEntryKind.Hold, -1, 9, "s1", "s1:hold:1"));
        await store.CancelSessionAsync(customer, "s1", Entry(3, LedgerEntryKind.Refund, 1, 10, "s1", "s1:refund:1"));

        var replayed = await store.OpenSessionAsync(customer, "s1", 1, Entry(4, LedgerEntryKind.Hold, -1, 9, "s1", "s1:hold:1"));
        var second = await store.OpenSessionAsync(customer, "s1", 2, Entry(4, LedgerEntryKind.Hold, -1, 9, "s1", "s1:hold:2"));

        // A spent hold replays its entry and opens no record; the next attempt does.
        Assert.False(replayed.Created);
        Assert.True(second.Created);
        Assert.Equal(new Dictionary<string, ActiveSession> { ["s1"] = new(1, 2) }, await store.ActiveSessionsAsync(customer));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Appending_several_entries_writes_all_or_none(string kind)
    {
        var (store, customer) = await NewStore(kind, grant: 10);

        var written = await store.AppendAllAsync(customer,
            [Entry(2, LedgerEntryKind.Adjustment, -10, 0, null, "p1:expire"), Entry(3, LedgerEntryKind.Grant, 50, 50, null, "p1:grant")]);
        var again = await store.AppendAllAsync(customer,
            [Entry(4, LedgerEntryKind.Adjustment, -50, 0, null, "p2:expire"), Entry(5, LedgerEntryKind.Grant, 50, 50, null, "p1:grant")]);

        Assert.True(written);
        Assert.False(again);
        Assert.Equal((3L, 50L), ((await store.TotalsAsync(customer)).Entries, (await store.TotalsAsync(customer)).Sum));
        Assert.Null(await store.FindAsync(customer, "p2:expire"));
    }

    [Fact]
    public async Task Appending_several_entries_in_postgres_is_one_statement_that_a_failing_row_undoes_whole()
    {
        var (store, customer) = await NewStore("postgres", grant: 10);

        // The second row breaks the ledger's check constraint (entry ids are positive): the first must not stay either.
        await Assert.ThrowsAnyAsync<PostgresException>(() => store.AppendAllAsync(customer,
            [Entry(2, LedgerEntryKind.Adjustment, -10, 0, null, "p1:expire"), Entry(0, LedgerEntryKind.Grant, 50, 50, null, "p1:grant")]));

        Assert.Null(await store.FindAsync(customer, "p1:expire"));
        Assert.Equal(1, (await store.TotalsAsync(customer)).Entries);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_hold_that_cannot_be_written_leaves_no_record(string kind)
    {
        var (store, customer) = await NewStore(kind, grant: 10);

        // Entry id 0 is invalid in both stores: the hold is refused, and the session must not appear either.
        await Assert.ThrowsAnyAsync<Exception>(() => store.OpenSessionAsync(customer, "s1", 1, Entry(0, LedgerEntryKind.Hold, -1, 9, "s1", "s1:hold:1")));

        Assert.Null(await store.FindSessionAsync(customer, "s1"));
        Assert.Empty(await store.ActiveSessionsAsync(customer));
        Assert.Equal(1, (await store.TotalsAsync(customer)).Entries);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Cancelling_refunds_the_hold_and_forgets_the_session(string kind)
    {
        var (store, customer) = await NewStore(kind, grant: 10);
        await store.OpenSessionAsync(customer, "s1", 1, Entry(2, LedgerEntryKind.Hold, -1, 9, "s1", "s1:hold:1"));

        var refunded = await store.CancelSessionAsync(customer, "s1", Entry(3, LedgerEntryKind.Refund, 1, 10, "s1", "s1:refund:1"));

        Assert.True(refunded!.Created);
        Assert.Null(await store.FindSessionAsync(customer, "s1"));
        Assert.Empty((await store.SessionPageAsync(customer, null, 10, null)).Sessions);
        Assert.Equal(10, (await store.TotalsAsync(customer)).Sum);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Pages_are_newest_first_filtered_by_status_with_a_cursor(string kind)
    {
        var (store, customer) = await NewStore(kind, grant: 100);
        var other = "other-" + customer;
        await store.AppendAsync(other, Entry(1, LedgerEntryKind.Grant, 10, 10, null, "grant"));
        await store.OpenSessionAsync(other, "foreign", 1, Entry(2, LedgerEntryKind.Hold, -1, 9, "foreign", "foreign:hold:1"));
        for (var i = 0; i < 5; i++)
        {
            await store.OpenSessionAsync(customer, $"s{i}", 1, Entry(2 + i, LedgerEntryKind.Hold, -1, 99 - i, $"s{i}", $"s{i}:hold:1"));
        }

        await store.CloseSessionAsync(customer, new SessionClosing("s1", 1, EndReason.Client, Start), null);
        await store.CloseSessionAsync(customer, new SessionClosing("s3", 1, EndReason.Timeout, Start), null);

        var first = await store.SessionPageAsync(customer, null, 3, null);
        var second = await store.SessionPageAsync(customer, null, 3, first.NextBefore);
        var ended = await store.SessionPageAsync(customer, SessionStatus.Ended, 10, null);
        var active = await store.SessionPageAsync(customer, SessionStatus.Active, 10, null);

        Assert.Equal(["s4", "s3", "s2"], first.Sessions.Select(s => s.SessionId));
        Assert.Equal(["s1", "s0"], second.Sessions.Select(s => s.SessionId));
        Assert.Null(second.NextBefore);
        Assert.Equal(["s3", "s1"], ended.Sessions.Select(s => s.SessionId));
        Assert.Equal(["s4", "s2", "s0"], active.Sessions.Select(s => s.SessionId));
    }

    private async Task<(ILedgerStore Store, string Customer)> NewStore(string kind, long grant)
    {
        ILedgerStore store;
        if (kind == "memory")
        {
            store = new InMemoryLedgerStore();
        }
        else
        {
            var connectionString = await server.CreateDatabaseAsync();
            await new PostgresMigrator(Options.Create(new PostgresOptions { ConnectionString = connectionString }), NullLogger<PostgresMigrator>.Instance)
                .MigrateAsync(CancellationToken.None);
            store = new PostgresLedgerStore(NpgsqlDataSource.Create(connectionString));
        }

        var customer = "c-" + Guid.NewGuid().ToString("N")[..8];
        await store.AppendAsync(customer, Entry(1, LedgerEntryKind.Grant, grant, grant, null, "grant"));
        return (store, customer);
    }

    private static LedgerEntry Entry(long id, LedgerEntryKind kind, long amount, long balanceAfter, string? sessionId, string key) =>
        new(id, kind, amount, balanceAfter, sessionId, kind.ToString(), Start, key);
}
