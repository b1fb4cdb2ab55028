using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
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
    public async Task Readiness_is_this_replicas_silo_and_shutdown_only_and_liveness_runs_no_check()
    {
        using var anonymous = api.CreateClient();
        var ready = (await (await anonymous.GetAsync("/health/ready")).Json())["checks"]!.AsObject();
        Assert.Equal(["silo", "stopping"], ready.Select(c => c.Key).Order(StringComparer.Ordinal));
        Assert.Equal("Healthy", ready["silo"]!["status"]!.GetValue<string>());

        var live = (await (await anonymous.GetAsync("/health/live")).Json())["checks"]!.AsObject();
        Assert.Empty(live);
    }

    [Fact]
    public async Task Pressure_tells_anyone_the_free_slots_per_node_pool_and_the_queue_length()
    {
        using var anonymous = api.CreateClient();
        var pressure = await (await anonymous.GetAsync("/v1/pressure")).Json();
        Assert.Equal(0, pressure["queueLength"]!.GetValue<int>());
        Assert.Equal("not_configured", pressure["database"]!["status"]!.GetValue<string>());
        var pools = pressure["nodePools"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>());
        Assert.Equal(20, pools["default"]!["maxPods"]!.GetValue<int>());
        Assert.Equal(100, pools["flaky"]!["freeSlots"]!.GetValue<int>() + pools["flaky"]!["assigned"]!.GetValue<int>());
        // How each pool sizes itself: the default pool's target follows demand between its bounds; flaky is an on-demand pool.
        var warm = pools["default"]!;
        Assert.Equal((2, 16), (warm["minWarm"]!.GetValue<int>(), warm["maxWarm"]!.GetValue<int>()));
        Assert.InRange(warm["warmTarget"]!.GetValue<int>(), 2, 16);
        Assert.Contains(warm["targetLimitedBy"]!.GetValue<string>(), new[] { "demand", "min_warm", "max_warm", "max_pods", "memory" });
        Assert.True(warm["launchSeconds"]!.GetValue<double>() >= 0);
        Assert.Equal((0, 0), (pools["flaky"]!["minWarm"]!.GetValue<int>(), pools["flaky"]!["maxWarm"]!.GetValue<int>()));

        var tenant = await api.NewTenant();
        var session = await (await tenant.Client.CreateSession(new { nodePool = "flaky" })).Json();
        var during = (await (await tenant.Client.GetAsync("/v1/pressure")).Json())["nodePools"]!.AsArray()
            .Single(p => p!["name"]!.GetValue<string>() == "flaky")!;
        Assert.True(during["assigned"]!.GetValue<int>() >= 1);
        Assert.Equal(100 - during["assigned"]!.GetValue<int>(), during["freeSlots"]!.GetValue<int>());
        // No warm pod in an on-demand pool: the session waited for a launch, which is a miss, and demand warms nothing there.
        Assert.True(during["misses"]!.GetValue<long>() >= 1);
        Assert.Equal(0, during["warmTarget"]!.GetValue<int>());
        await tenant.Client.PostAsync($"/v1/sessions/{session["id"]}/end", null);
    }

    [Fact]
    public async Task A_request_waiting_in_a_queue_counts_in_the_pressure_and_the_queue_metric()
    {
        var depth = new List<int>();
        var meters = api.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name == "ufbrowsers.queue.depth")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, change, _, _) =>
        {
            lock (depth)
            {
                depth.Add(change);
            }
        });
        listener.Start();
        using var anonymous = api.CreateClient();
        var before = (await (await anonymous.GetAsync("/v1/pressure")).Json())["queueLength"]!.GetValue<int>();
        var tenant = await api.NewTenant(credits: 100, plan: "small");
        var first = (await (await tenant.Client.CreateSession()).Json())["id"]!.GetValue<string>();
        await tenant.Client.CreateSession();

        var waiter = tenant.Client.CreateSession(new { waitSeconds = 30 });
        JsonNode? during = null;
        await Until(async () => (during = await (await anonymous.GetAsync("/v1/pressure")).Json())["queueLength"]!.GetValue<int>() == before + 1);
        Assert.Equal(before + 1, during!["queue"]!["forConcurrency"]!.GetValue<int>());

        await tenant.Client.PostAsync($"/v1/sessions/{first}/end", null);
        Assert.Equal(HttpStatusCode.Created, (await waiter.WaitAsync(TimeSpan.FromSeconds(30))).StatusCode);
        await Until(async () => (await (await anonymous.GetAsync("/v1/pressure")).Json())["queueLength"]!.GetValue<int>() == before);
        lock (depth)
        {
            Assert.Equal([1, -1], depth);
        }
    }

    private static async Task Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 20 s");
            await Task.Delay(50);
        }
    }
}
