using System.Diagnostics;
using System.Net;
using UFBrowsers.Api.Tests.Infrastructure;

namespace UFBrowsers.Api.Tests;

/// <summary>The account's FIFO queue on the "small" plan (2 concurrent sessions; the fixture bounds the queue at 5).</summary>
[Collection(ApiCollection.Name)]
public sealed class QueueApiTests(ApiFixture api)
{
    [Fact]
    public async Task Five_waiters_start_in_order_as_sessions_end_one_by_one()
    {
        var tenant = await api.NewTenant(credits: 100, plan: "small");
        var active = new List<string> { await Started(tenant), await Started(tenant) };
        var waiters = new List<Task<HttpResponseMessage>>();
        for (var i = 1; i <= 5; i++)
        {
            waiters.Add(tenant.Client.CreateSession(new { waitSeconds = 60 }, idempotencyKey: $"waiter-{i}"));
            await Until(async () => (await Queue(tenant))["length"]!.GetValue<int>() == i);
        }

        var queue = await Queue(tenant);
        Assert.Equal([1, 2, 3, 4, 5], queue["waiters"]!.AsArray().Select(w => w!["position"]!.GetValue<int>()));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"waiter-{i}"), queue["waiters"]!.AsArray().Select(w => w!["idempotencyKey"]!.GetValue<string>()));
        Assert.Equal(5, (await (await tenant.Client.GetAsync("/v1/account")).Json())["queue"]!["length"]!.GetValue<int>());

        for (var i = 0; i < 5; i++)
        {
            var ended = await tenant.Client.PostAsync($"/v1/sessions/{active[0]}/end", null);
            Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
            active.RemoveAt(0);

            var started = await waiters[i].WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(HttpStatusCode.Created, started.StatusCode);
            active.Add((await started.Json())["id"]!.GetValue<string>());
            await Task.Delay(200);
            Assert.All(waiters.Skip(i + 1), w => Assert.False(w.IsCompleted, "a later waiter started before an earlier one"));
            Assert.Equal(4 - i, (await Queue(tenant))["length"]!.GetValue<int>());
        }

        foreach (var id in active)
        {
            await tenant.Client.PostAsync($"/v1/sessions/{id}/end", null);
        }

        Assert.Equal(100 - 7, await tenant.Client.Balance());
    }

    [Fact]
    public async Task A_waiter_whose_wait_runs_out_gets_429_and_is_not_charged()
    {
        var tenant = await api.NewTenant(credits: 10, plan: "small");
        await Started(tenant);
        await Started(tenant);
        var ledger = (await tenant.Client.Ledger()).Count;
        var clock = Stopwatch.StartNew();

        var refused = await tenant.Client.CreateSession(new { waitSeconds = 2 });

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(15));
        Assert.Equal("queue_wait_elapsed", (await refused.Json())["code"]!.GetValue<string>());
        AssertRateLimitHeaders(refused, remaining: 0);
        Assert.Equal(8, await tenant.Client.Balance());
        Assert.Equal(ledger, (await tenant.Client.Ledger()).Count);
        Assert.Equal(0, (await Queue(tenant))["length"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_full_queue_and_a_request_that_will_not_wait_behind_others_are_refused_at_once()
    {
        var tenant = await api.NewTenant(credits: 10, plan: "small");
        var first = await Started(tenant);
        await Started(tenant);
        var waiters = new List<Task<HttpResponseMessage>>();
        for (var i = 1; i <= 5; i++)
        {
            waiters.Add(tenant.Client.CreateSession(new { waitSeconds = 4 }));
            await Until(async () => (await Queue(tenant))["length"]!.GetValue<int>() == i);
        }

        var clock = Stopwatch.StartNew();
        var overBound = await tenant.Client.CreateSession(new { waitSeconds = 30 });
        var noWait = await tenant.Client.CreateSession();
        var listing = await tenant.Client.GetAsync("/v1/sessions?status=active");
        var reading = await tenant.Client.GetAsync($"/v1/sessions/{first}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), "refusals, listing and reading never wait for the queue");

        Assert.Equal((HttpStatusCode.TooManyRequests, "queue_full"), (overBound.StatusCode, (await overBound.Json())["code"]!.GetValue<string>()));
        AssertRateLimitHeaders(overBound, remaining: 0);
        Assert.Equal((HttpStatusCode.TooManyRequests, "concurrency_limit_reached"), (noWait.StatusCode, (await noWait.Json())["code"]!.GetValue<string>()));
        AssertRateLimitHeaders(noWait, remaining: 0);
        Assert.Equal("5", noWait.Headers.GetValues("X-Queue-Length").Single());
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (listing.StatusCode, reading.StatusCode));

        foreach (var waiter in await Task.WhenAll(waiters))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, waiter.StatusCode);
        }

        Assert.Equal(8, await tenant.Client.Balance());
    }

    [Theory]
    [InlineData("{\"waitSeconds\":-1}")]
    [InlineData("{\"waitSeconds\":100000}")]
    [InlineData("{\"idleTimeoutSeconds\":0}")]
    [InlineData("{\"firstConnectSeconds\":999999}")]
    public async Task Out_of_range_waits_and_timers_are_400(string body)
    {
        var tenant = await api.NewTenant(credits: 10);

        var response = await tenant.Client.PostAsync("/v1/sessions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(10, await tenant.Client.Balance());
    }

    [Fact]
    public async Task Session_events_record_the_life_of_a_session_for_its_owner_only()
    {
        var tenant = await api.NewTenant(credits: 10);
        var other = await api.NewTenant(credits: 10);
        var id = await Started(tenant);
        await tenant.Client.PostAsync($"/v1/sessions/{id}/end", null);

        var events = await (await tenant.Client.GetAsync($"/v1/sessions/{id}/events")).Json();

        var data = events["data"]!.AsArray();
        Assert.Equal(["created", "ended"], data.Select(e => e!["type"]!.GetValue<string>()));
        Assert.Equal("client", data[1]!["endReason"]!.GetValue<string>());
        Assert.Equal(1, data[1]!["creditsCharged"]!.GetValue<long>());
        Assert.NotNull(data[1]!["billableSeconds"]);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync($"/v1/sessions/{id}/events")).StatusCode);
    }

    private static void AssertRateLimitHeaders(HttpResponseMessage response, int remaining)
    {
        Assert.True(response.Headers.RetryAfter is not null, "429 carries Retry-After");
        Assert.Equal("2", response.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.Equal(remaining.ToString(), response.Headers.GetValues("X-RateLimit-Remaining").Single());
    }

    private static async Task<string> Started(TestTenant tenant)
    {
        var response = await tenant.Client.CreateSession();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Json())["id"]!.GetValue<string>();
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> Queue(TestTenant tenant) =>
        await (await tenant.Client.GetAsync("/v1/account/queue")).Json();

    private static async Task Until(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "condition not reached in time");
            await Task.Delay(20);
        }
    }
}
