using System.Net;
using UFBrowsers.Api.Tests.Infrastructure;

namespace UFBrowsers.Api.Tests.Observability;

[Collection(ApiCollection.Name)]
public sealed class HealthTests(ApiFixture api)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/health/startup")]
    public async Task Probes_answer_healthy_without_credentials(string path)
    {
        using var anonymous = api.CreateClient();
        var response = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", (await response.Json())["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Readiness_reports_the_silo_and_the_node_pools_and_liveness_runs_no_check()
    {
        using var anonymous = api.CreateClient();
        var ready = (await (await anonymous.GetAsync("/health/ready")).Json())["checks"]!.AsObject();
        Assert.Equal("Healthy", ready["silo"]!["status"]!.GetValue<string>());
        Assert.Equal("Healthy", ready["node-pools"]!["status"]!.GetValue<string>());
        Assert.False(ready.ContainsKey("postgresql"), "no PostgreSQL is configured, so none is checked");

        var live = (await (await anonymous.GetAsync("/health/live")).Json())["checks"]!.AsObject();
        Assert.Empty(live);
    }

    [Fact]
    public async Task Pressure_tells_anyone_the_free_slots_per_node_pool_and_the_queue_length()
    {
        using var anonymous = api.CreateClient();
        var pressure = await (await anonymous.GetAsync("/v1/pressure")).Json();
        Assert.Equal(0, pressure["queueLength"]!.GetValue<int>());
        var pools = pressure["nodePools"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>());
        Assert.Equal(20, pools["default"]!["maxPods"]!.GetValue<int>());
        Assert.Equal(100, pools["flaky"]!["freeSlots"]!.GetValue<int>() + pools["flaky"]!["assigned"]!.GetValue<int>());

        var tenant = await api.NewTenant();
        var session = await (await tenant.Client.CreateSession(new { nodePool = "flaky" })).Json();
        var during = (await (await tenant.Client.GetAsync("/v1/pressure")).Json())["nodePools"]!.AsArray()
            .Single(p => p!["name"]!.GetValue<string>() == "flaky")!;
        Assert.True(during["assigned"]!.GetValue<int>() >= 1);
        Assert.Equal(100 - during["assigned"]!.GetValue<int>(), during["freeSlots"]!.GetValue<int>());
        await tenant.Client.PostAsync($"/v1/sessions/{session["id"]}/end", null);
    }
}
