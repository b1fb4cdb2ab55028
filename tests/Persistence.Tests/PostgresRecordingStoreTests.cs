using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using UFBrowsers.Grains.Recordings;
using UFBrowsers.Persistence.Tests.Infrastructure;
using UFBrowsers.Silo.Persistence;
using UFBrowsers.TestSupport;
using static UFBrowsers.Persistence.Tests.Infrastructure.Sql;

namespace UFBrowsers.Persistence.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresRecordingStoreTests(PostgresServer server)
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Chunks_are_appended_in_order_and_read_back_as_stored()
    {
        var (_, store) = await NewStore();
        await store.BeginAsync(new RecordingStart("ses_a", "c1", Start, Start.AddDays(30)), CancellationToken.None);
        await store.BeginAsync(new RecordingStart("ses_a", "c1", Start.AddHours(1), Start.AddDays(31)), CancellationToken.None); // a replayed start changes nothing

        Assert.Equal(RecordingAppend.Appended, await store.AppendAsync("ses_a", Chunk("page-1", 1, 100), 1000, CancellationToken.None));
        Assert.Equal(RecordingAppend.Appended, await store.AppendAsync("ses_a", Chunk("page-2", 2, 50), 1000, CancellationToken.None));
        Assert.Equal(RecordingAppend.Appended, await store.AppendAsync("ses_a", Chunk("page-1", 3, 10), 1000, CancellationToken.None));

        var info = (await store.GetAsync("ses_a", CancellationToken.None))!;
        Assert.Equal(("c1", Start, 160L, 3, false, (DateTimeOffset?)null), (info.CustomerId, info.StartedAt, info.BytesStored, info.Chunks, info.Truncated, info.EndedAt));
        var chunks = await store.ReadChunksAsync("ses_a", CancellationToken.None);
        Assert.Equal([1, 2, 3], chunks.Select(c => c.Sequence));
        Assert.Equal(["page-1", "page-2", "page-1"], chunks.Select(c => c.PageId));
        Assert.Equal(Chunk("page-2", 2, 50).Events, chunks[1].Events);

        await store.FinishAsync("ses_a", Start.AddMinutes(5), CancellationToken.None);
        await store.FinishAsync("ses_a", Start.AddMinutes(9), CancellationToken.None);
        Assert.Equal(Start.AddMinutes(5), (await store.GetAsync("ses_a", CancellationToken.None))!.EndedAt);
        Assert.Equal(RecordingAppend.Closed, await store.AppendAsync("ses_a", Chunk("page-1", 4, 10), 1000, CancellationToken.None));
        Assert.Equal(3, (await store.ReadChunksAsync("ses_a", CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_chunk_that_would_pass_the_limit_is_not_stored_and_the_recording_is_truncated_for_good()
    {
        var (connectionString, store) = await NewStore();
        await store.BeginAsync(new RecordingStart("ses_b", "c1", Start, Start.AddDays(30)), CancellationToken.None);
        Assert.Equal(RecordingAppend.Appended, await store.AppendAsync("ses_b", Chunk("p", 1, 600), 1000, CancellationToken.None));
        Assert.Equal(RecordingAppend.Appended, await store.AppendAsync("ses_b", Chunk("p", 2, 400), 1000, CancellationToken.None)); // exactly at the limit

        Assert.Equal(RecordingAppend.Truncated, await store.AppendAsync("ses_b", Chunk("p", 3, 1), 1000, CancellationToken.None));
        Assert.Equal(RecordingAppend.Closed, await store.AppendAsync("ses_b", Chunk("p", 4, 1), 1_000_000, CancellationToken.None));

        var info = (await store.GetAsync("ses_b", CancellationToken.None))!;
        Assert.True(info.Truncated);
        Assert.Equal(1000, info.BytesStored);
        Assert.Equal([2L], await QueryAsync(connectionString, "SELECT count(*) FROM recording_chunks WHERE session_id = 'ses_b'", r => r.GetInt64(0)));
    }

    [Fact]
    public async Task Concurrent_appends_never_pass_the_limit_together()
    {
        var (connectionString, store) = await NewStore();
        await store.BeginAsync(new RecordingStart("ses_c", "c1", Start, Start.AddDays(30)), CancellationToken.None);

        var outcomes = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => store.AppendAsync("ses_c", Chunk("p", i, 100), 1000, CancellationToken.None)));

        Assert.Equal(10, outcomes.Count(o => o == RecordingAppend.Appended));
        Assert.Equal([1000L], await QueryAsync(connectionString, "SELECT sum(length(events)) FROM recording_chunks WHERE session_id = 'ses_c'", r => r.GetInt64(0)));
        Assert.True((await store.GetAsync("ses_c", CancellationToken.None))!.Truncated);
    }

    [Fact]
    public async Task Expired_recordings_are_deleted_with_their_chunks_and_others_are_kept()
    {
        var (connectionString, store) = await NewStore();
        await store.BeginAsync(new RecordingStart("ses_old", "c1", Start, Start.AddDays(1)), CancellationToken.None);
        await store.BeginAsync(new RecordingStart("ses_new", "c1", Start, Start.AddDays(30)), CancellationToken.None);
        await store.AppendAsync("ses_old", Chunk("p", 1, 10), 1000, CancellationToken.None);
        await store.AppendAsync("ses_new", Chunk("p", 1, 10), 1000, CancellationToken.None);

        Assert.Equal(1, await store.DeleteExpiredAsync(Start.AddDays(2), CancellationToken.None));

        Assert.Null(await store.GetAsync("ses_old", CancellationToken.None));
        Assert.NotNull(await store.GetAsync("ses_new", CancellationToken.None));
        Assert.Equal(["ses_new"], await QueryAsync(connectionString, "SELECT DISTINCT session_id FROM recording_chunks", r => r.GetString(0)));
    }

    [Fact]
    public async Task A_session_never_begun_stores_nothing()
    {
        var (connectionString, store) = await NewStore();

        Assert.Equal(RecordingAppend.Closed, await store.AppendAsync("ses_none", Chunk("p", 1, 10), 1000, CancellationToken.None));
        await store.FinishAsync("ses_none", Start, CancellationToken.None);

        Assert.Null(await store.GetAsync("ses_none", CancellationToken.None));
        Assert.Equal([0L], await QueryAsync(connectionString, "SELECT (SELECT count(*) FROM recordings) + (SELECT count(*) FROM recording_chunks)", r => r.GetInt64(0)));
    }

    private static RecordingChunk Chunk(string pageId, int sequence, int bytes) =>
        new(pageId, sequence, Start.AddSeconds(sequence), bytes * 5, Enumerable.Range(0, bytes).Select(i => (byte)(i + sequence)).ToArray());

    private async Task<(string ConnectionString, PostgresRecordingStore Store)> NewStore()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await new PostgresMigrator(Options.Create(new PostgresOptions { ConnectionString = connectionString }), NullLogger<PostgresMigrator>.Instance)
            .MigrateAsync(CancellationToken.None);
        return (connectionString, new PostgresRecordingStore(NpgsqlDataSource.Create(connectionString)));
    }
}
