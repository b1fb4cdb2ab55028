using Npgsql;
using UFBrowsers.Persistence.Tests.Infrastructure;
using UFBrowsers.TestSupport;
using static UFBrowsers.Persistence.Tests.Infrastructure.Sql;

namespace UFBrowsers.Persistence.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresServer server)
{
    [Fact]
    public async Task Stop_makes_the_server_unreachable_and_start_brings_it_back_with_its_data()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await QueryAsync(connectionString, "CREATE TABLE outage_probe (id integer); INSERT INTO outage_probe VALUES (7); SELECT 1",
            r => r.GetInt32(0));

        await server.StopAsync();
        try
        {
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => QueryAsync(connectionString, "SELECT 1", r => r.GetInt32(0)));
        }
        finally
        {
            await server.StartAsync();
        }

        Assert.Equal([7], await QueryAsync(connectionString, "SELECT id FROM outage_probe", r => r.GetInt32(0)));
    }
}
