using System.Net;
using Microsoft.AspNetCore.Hosting;
using UFBrowsers.Api.Tests.Infrastructure;

namespace UFBrowsers.Api.Tests.Observability;

/// <summary>The API with two node pools of one pod each and no warm pods, filled by two sessions.</summary>
public sealed class FullCapacityFixture : ApiFactory
{
    protected override void ConfigureHost(IWebHostBuilder builder)
    {
        builder.UseSetting("UFBrowsers:Pods:NodePools:default:WarmTarget", "0");
        builder.UseSetting("UFBrowsers:Pods:NodePools:default:MaxPods", "1");
        builder.UseSetting("UFBrowsers:Pods:NodePools:flaky:MaxPods", "1");
    }
}

/// <summary>
/// A full cluster is capacity, not ill health: every replica shares the pools, so readiness failing on them would take
/// every replica out of the Service together and fail the ends, webhooks and CDP traffic that need no new browser.
/// </summary>
public sealed class FullCapacityTests(FullCapacityFixture api) : IClassFixture<FullCapacityFixture>
{
    [Fact]
    public async Task At_full_capacity_readiness_stays_up_pressure_shows_no_free_slot_and_a_new_session_gets_503_with_retry_after()
    {
        var tenant = await api.NewTenant(credits: 100);
        var sessions = new List<string>();
        foreach (var pool in new[] { "default", "flaky" })
        {
            var created = await tenant.Client.CreateSession(new { nodePool = pool });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            sessions.Add((await created.Json())["id"]!.GetValue<string>());
        }

        using var anonymous = api.CreateClient();
        var pressure = await (await anonymous.GetAsync("/v1/pressure")).Json();
        Assert.All(pressure["nodePools"]!.AsArray(), p => Assert.Equal(0, p!["freeSlots"]!.GetValue<int>()));

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
        var refused = await tenant.Client.CreateSession();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);

        // What needs no new browser still works: ending a session.
        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.PostAsync($"/v1/sessions/{sessions[0]}/end", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
    }
}
