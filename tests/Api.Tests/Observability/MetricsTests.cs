using System.Net;
using UFBrowsers.Api.Tests.Infrastructure;

namespace UFBrowsers.Api.Tests.Observability;

public sealed class MetricsTests(ClockedApiFixture api) : IClassFixture<ClockedApiFixture>
{
    [Fact]
    public async Task Metrics_are_for_operators_only()
    {
        using var anonymous = api.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        var tenant = await api.NewTenant();
        Assert.Equal(HttpStatusCode.Unauthorized, (await tenant.Client.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task After_a_scripted_session_the_scrape_shows_every_session_pool_and_credit_metric()
    {
        var tenant = await api.NewTenant(credits: 20);

        // A session on the default pool that runs 61 seconds: hold, then a second minute charged at the end.
        var first = await (await tenant.Client.CreateSession()).Json();
        api.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.PostAsync($"/v1/sessions/{first["id"]}/end", null)).StatusCode);

        // The flaky pool keeps no warm pods (a miss); its next failure refunds a hold.
        var second = await (await tenant.Client.CreateSession(new { nodePool = "flaky" })).Json();
        await tenant.Client.PostAsync($"/v1/sessions/{second["id"]}/end", null);
        api.Pods.FailNextCreations("flaky", 1);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await tenant.Client.CreateSession(new { nodePool = "flaky" })).StatusCode);

        using var op = api.Operator();
        var scrape = await op.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        var text = await scrape.Content.ReadAsStringAsync();

        string[] expected =
        [
            "ufbrowsers_sessions_active{",
            "ufbrowsers_sessions_started_total{",
            "ufbrowsers_sessions_ended_total{",
            "ufbrowsers_session_end_reason=\"client\"",
            "ufbrowsers_session_start_duration_seconds_bucket{",
            "ufbrowsers_outcome=\"started\"",
            "ufbrowsers_outcome=\"no_browser_available\"",
            "ufbrowsers_pool_pods_ready{",
            "ufbrowsers_pool_hits_total{",
            "ufbrowsers_pool_misses_total{",
            "ufbrowsers_node_pool=\"flaky\"",
            "ufbrowsers_credits_held_total",
            "ufbrowsers_credits_charged_total",
            "ufbrowsers_credits_refunded_total",
            "http_server_request_duration_seconds_bucket{",
            "orleans_",
        ];
        var missing = expected.Where(name => !text.Contains(name, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"missing from /metrics: {string.Join(", ", missing)}");
    }
}
