using System.Net;
using System.Text.Json.Nodes;
using UFBrowsers.Api.Tests.Infrastructure;

namespace UFBrowsers.Api.Tests.Observability;

public sealed class PostgresHealthTests(PostgresHealthFixture api) : IClassFixture<PostgresHealthFixture>
{
    [Fact]
    public async Task Readiness_flips_to_unhealthy_while_PostgreSQL_is_down_and_back_when_it_returns()
    {
        using var probe = api.CreateClient();
        var (status, body) = await Ready(probe);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body["checks"]!["postgresql"]!["status"]!.GetValue<string>());

        await api.Postgres.StopAsync();
        try
        {
            (status, body) = await Ready(probe);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("Unhealthy", body["status"]!.GetValue<string>());
            Assert.Equal("Unhealthy", body["checks"]!["postgresql"]!["status"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/health/live")).StatusCode);
        }
        finally
        {
            await api.Postgres.StartAsync();
        }

        (status, _) = await Ready(probe);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    private static async Task<(HttpStatusCode, JsonNode)> Ready(HttpClient client)
    {
        var response = await client.GetAsync("/health/ready");
        return (response.StatusCode, await response.Json());
    }
}
