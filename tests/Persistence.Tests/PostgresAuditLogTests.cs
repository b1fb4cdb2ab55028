using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using UFBrowsers.Grains.Audit;
using UFBrowsers.Persistence.Tests.Infrastructure;
using UFBrowsers.Silo.Persistence;
using UFBrowsers.TestSupport;
using static UFBrowsers.Persistence.Tests.Infrastructure.Sql;

namespace UFBrowsers.Persistence.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditLogTests(PostgresServer server)
{
    [Fact]
    public async Task Concurrent_appends_are_all_stored_and_each_completes_only_once_stored()
    {
        var (connectionString, log) = await NewLog();

        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => log.AppendAsync(Record("c1", $"r{i}"), CancellationToken.None)));

        var stored = await QueryAsync(connectionString, "SELECT request_id FROM audit_log", r => r.GetString(0));
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"r{i}").Order(), stored.Order());
        await log.DisposeAsync();
    }

    [Fact]
    public async Task Only_the_audit_logs_connections_commit_asynchronously()
    {
        var connectionString = await server.CreateDatabaseAsync();

        var audit = await QueryAsync(PostgresOptions.ForAudit(connectionString), "SHOW synchronous_commit", r => r.GetString(0));
        var silo = await QueryAsync(PostgresOptions.ForSilo(connectionString), "SHOW synchronous_commit", r => r.GetString(0));
        var withOptions = new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c statement_timeout=5000" }.ConnectionString;
        var both = await QueryAsync(PostgresOptions.ForAudit(withOptions), "SELECT current_setting('synchronous_commit') || ' ' || current_setting('statement_timeout')", r => r.GetString(0));

        Assert.Equal(["off"], audit);
        Assert.Equal(["on"], silo);
        Assert.Equal(["off 5s"], both);
    }

    [Fact]
    public async Task A_record_the_table_refuses_fails_alone_and_the_rest_of_its_batch_is_stored()
    {
        var (connectionString, log) = await NewLog();

        var appends = Enumerable.Range(0, 50)
            .Select(i => log.AppendAsync(i == 25 ? Record("c1", "bad") with { ActorType = "nobody" } : Record("c1", $"r{i}"), CancellationToken.None))
            .ToList();
        var outcomes = await Task.WhenAll(appends.Select(async append =>
        {
            try
            {
                await append;
                return true;
            }
            catch (PostgresException)
            {
                return false;
            }
        }));

        Assert.Equal(49, outcomes.Count(stored => stored));
        Assert.False(outcomes[25]);
        var stored = await QueryAsync(connectionString, "SELECT count(*) FROM audit_log", r => r.GetInt64(0));
        Assert.Equal(49, stored.Single());
        await log.DisposeAsync();
    }

    [Fact]
    public async Task Long_fields_are_cut_to_the_column_widths_rather_than_refused()
    {
        var (connectionString, log) = await NewLog();

        await log.AppendAsync(Record(new string('c', 100), new string('r', 300)) with { Action = new string('a', 100) }, CancellationToken.None);

        var listed = Assert.Single(await log.ListAsync(new string('c', 64), 10, CancellationToken.None));
        Assert.Equal((64, 100), (listed.Action.Length, listed.RequestId!.Length));
        await log.DisposeAsync();
    }

    private async Task<(string ConnectionString, PostgresAuditLog Log)> NewLog()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await new PostgresMigrator(Options.Create(new PostgresOptions { ConnectionString = connectionString }), NullLogger<PostgresMigrator>.Instance)
            .MigrateAsync(CancellationToken.None);
        return (connectionString, new PostgresAuditLog(NpgsqlDataSource.Create(connectionString)));
    }

    private static AuditRecord Record(string customerId, string requestId) =>
        new(DateTimeOffset.UtcNow, "api_key", "key-1", customerId, "CreateSession", "s-1", requestId, "201");
}
