using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using UFBrowsers.Grains.Files;
using UFBrowsers.Persistence.Tests.Infrastructure;
using UFBrowsers.Silo.Persistence;
using UFBrowsers.Silo.Persistence.Memory;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Persistence.Tests;

/// <summary>Session downloads kept after the session, in both stores: whole or cut off, read back byte for byte, gone after retention.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SessionFileStoreTests(PostgresServer server)
{
    public static TheoryData<string> Stores => ["memory", "postgres"];

    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_file_of_several_chunks_reads_back_byte_for_byte_and_one_cut_off_says_so(string kind)
    {
        var (store, _) = await NewStore(kind);
        var session = "ses_" + Guid.NewGuid().ToString("N");
        var whole = RandomBytes(PostgresSessionFileStore.ChunkBytes * 2 + 12345);
        await store.RegisterAsync([Download(session, "whole.bin", whole.Length), Download(session, "cut.bin", whole.Length)], CancellationToken.None);

        Assert.Equal(whole.Length, await store.WriteContentAsync(session, "whole.bin", new MemoryStream(whole), whole.Length, CancellationToken.None));
        Assert.Equal(1000, await store.WriteContentAsync(session, "cut.bin", new MemoryStream(whole), 1000, CancellationToken.None));

        var listed = await store.ListAsync(session, Now, CancellationToken.None);
        Assert.Equal([("cut.bin", (long)whole.Length, 1000L, true), ("whole.bin", whole.Length, whole.Length, false)],
            listed.Select(f => (f.Name, f.SizeBytes, f.StoredBytes, f.Truncated)).OrderBy(f => f.Name));
        Assert.Equal(whole, await Read(store, session, "whole.bin"));
        Assert.Equal(whole[..1000], await Read(store, session, "cut.bin"));
        Assert.Null(await store.OpenAsync(session, "other.bin", Now, CancellationToken.None));
        Assert.Null(await store.OpenAsync("ses_other", "whole.bin", Now, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_file_registered_but_never_copied_is_listed_as_cut_off_with_nothing_kept(string kind)
    {
        var (store, _) = await NewStore(kind);
        var session = "ses_" + Guid.NewGuid().ToString("N");
        await store.RegisterAsync([Download(session, "late.bin", 5000)], CancellationToken.None);
        await store.RegisterAsync([Download(session, "late.bin", 1)], CancellationToken.None);

        var file = Assert.Single(await store.ListAsync(session, Now, CancellationToken.None));
        Assert.Equal((5000L, 0L, true), (file.SizeBytes, file.StoredBytes, file.Truncated));
        Assert.Empty(await Read(store, session, "late.bin"));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Files_past_their_retention_are_neither_listed_nor_read_and_the_cleanup_deletes_them_with_their_chunks(string kind)
    {
        var (store, connectionString) = await NewStore(kind);
        var session = "ses_" + Guid.NewGuid().ToString("N");
        var content = RandomBytes(3000);
        await store.RegisterAsync([Download(session, "a.bin", content.Length)], CancellationToken.None);
        await store.WriteContentAsync(session, "a.bin", new MemoryStream(content), content.Length, CancellationToken.None);
        var expiry = Now.AddHours(24);

        Assert.Single(await store.ListAsync(session, expiry.AddSeconds(-1), CancellationToken.None));
        Assert.Empty(await store.ListAsync(session, expiry, CancellationToken.None));
        Assert.Null(await store.OpenAsync(session, "a.bin", expiry, CancellationToken.None));
        Assert.Equal(0, await store.DeleteExpiredAsync(expiry.AddSeconds(-1), CancellationToken.None));
        Assert.True(await store.DeleteExpiredAsync(expiry, CancellationToken.None) >= 1);
        Assert.Empty(await store.ListAsync(session, Now, CancellationToken.None));
        if (kind == "postgres")
        {
            Assert.Equal([0L], await Sql.QueryAsync(connectionString, "SELECT count(*) FROM session_file_chunks", r => r.GetInt64(0)));
        }
    }

    private async Task<(ISessionFileStore Store, string ConnectionString)> NewStore(string kind)
    {
        if (kind == "memory")
        {
            return (new InMemorySessionFileStore(), "");
        }

        var connectionString = await server.CreateDatabaseAsync();
        await new PostgresMigrator(Options.Create(new PostgresOptions { ConnectionString = connectionString }), NullLogger<PostgresMigrator>.Instance)
            .MigrateAsync(CancellationToken.None);
        return (new PostgresSessionFileStore(NpgsqlDataSource.Create(connectionString)), connectionString);
    }

    private static StoredDownload Download(string session, string name, long size) =>
        new(session, "c-1", name, size, 0, true, Now, Now.AddHours(24));

    private static async Task<byte[]> Read(ISessionFileStore store, string session, string name)
    {
        await using var content = await store.OpenAsync(session, name, Now, CancellationToken.None);
        Assert.NotNull(content);
        var copy = new MemoryStream();
        await content.Content.CopyToAsync(copy);
        Assert.Equal(content.Length, copy.Length);
        return copy.ToArray();
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
