using System.Net;
using System.Text.Json.Nodes;
using UFBrowsers.Api.Tests.Infrastructure;

namespace UFBrowsers.Api.Tests.Observability;

/// <summary>
/// A database blip is shown where it belongs: /v1/pressure and the postgres gauge, and 503 + Retry-After on the requests
/// that need the database. Readiness stays up: every replica shares the database, so failing readiness on it would take
/// them all out of the Service at once, and the requests that need nothing of it (CDP traffic to running sessions,
/// probes, metrics) would fail with no Retry-After.
/// </summary>
public sealed class PostgresHealthTests(PostgresHealthFixture api) : IClassFixture<PostgresHealthFixture>
{
    [Fact]
    public async Task While_PostgreSQL_is_down_readiness_stays_up_and_pressure_reports_it()
    {
        using var probe = api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/health/ready")).StatusCode);
        Assert.Equal("up", (await Pressure(probe))["database"]!["status"]!.GetValue<string>());

        await api.Postgres.StopAsync();
        try
        {
            await Until(async () => (await Pressure(probe))["database"]!["status"]!.GetValue<string>() == "down");

            var ready = await probe.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.False((await ready.Json())["checks"]!.AsObject().ContainsKey("postgresql"));
            Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/health/live")).StatusCode);
        }
        finally
        {
            await api.Postgres.StartAsync();
        }

        await Until(async () => (await Pressure(probe))["database"]!["status"]!.GetValue<string>() == "up");
    }

    private static async Task<JsonNode> Pressure(HttpClient client) => await (await client.GetAsync("/v1/pressure")).Json();

    private static async Task Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 60 s");
            await Task.Delay(250);
        }
    }
}
