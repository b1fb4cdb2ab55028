using System.Net;
using System.Net.Http.Json;
using System.Text;
using UFBrowsers.Api.Tests.Infrastructure;

namespace UFBrowsers.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class SessionApiTests(ApiFixture api)
{
    [Fact]
    public async Task Create_returns_201_with_a_connect_url_and_holds_one_credit()
    {
        var tenant = await api.NewTenant(credits: 10);

        var response = await tenant.Client.CreateSession(new { timeoutSeconds = 120 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Json();
        var id = body["id"]!.GetValue<string>();
        Assert.Equal($"/v1/sessions/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("active", body["status"]!.GetValue<string>());
        Assert.StartsWith("ws://", body["connectUrl"]!.GetValue<string>());
        Assert.Equal(9, body["balance"]!.GetValue<long>());
        var created = body["createdAt"]!.GetValue<DateTimeOffset>();
        Assert.Equal(created.AddSeconds(120), body["expiresAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(9, await tenant.Client.Balance());
    }

    [Fact]
    public async Task The_same_idempotency_key_returns_the_same_session_and_charges_once()
    {
        var tenant = await api.NewTenant(credits: 10);

        var first = await tenant.Client.CreateSession(idempotencyKey: "order-42");
        var second = await tenant.Client.CreateSession(idempotencyKey: "order-42");

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal((await first.Json())["id"]!.GetValue<string>(), (await second.Json())["id"]!.GetValue<string>());
        Assert.True(second.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(9, await tenant.Client.Balance());
        Assert.Single(await tenant.Client.Ledger(), e => e!["kind"]!.GetValue<string>() == "hold");
    }

    [Fact]
    public async Task The_same_idempotency_key_with_another_body_is_422_and_changes_nothing()
    {
        var tenant = await api.NewTenant(credits: 10);
        await tenant.Client.CreateSession(new { timeoutSeconds = 60 }, idempotencyKey: "k1");

        var conflict = await tenant.Client.CreateSession(new { timeoutSeconds = 90 }, idempotencyKey: "k1");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, conflict.StatusCode);
        Assert.Equal("idempotency_key_reused", (await conflict.Json())["code"]!.GetValue<string>());
        Assert.Equal(9, await tenant.Client.Balance());
    }

    [Fact]
    public async Task Two_tenants_using_the_same_idempotency_key_get_different_sessions()
    {
        var a = await api.NewTenant(credits: 10);
        var b = await api.NewTenant(credits: 10);

        var sa = await (await a.Client.CreateSession(idempotencyKey: "shared")).Json();
        var sb = await (await b.Client.CreateSession(idempotencyKey: "shared")).Json();

        Assert.NotEqual(sa["id"]!.GetValue<string>(), sb["id"]!.GetValue<string>());
        Assert.Equal(9, await b.Client.Balance());
    }

    [Fact]
    public async Task End_returns_the_bill_and_ending_again_changes_nothing()
    {
        var tenant = await api.NewTenant(credits: 10);
        var id = (await (await tenant.Client.CreateSession()).Json())["id"]!.GetValue<string>();

        var ended = await tenant.Client.PostAsync($"/v1/sessions/{id}/end", null);
        var again = await tenant.Client.DeleteAsync($"/v1/sessions/{id}");

        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        var bill = await ended.Json();
        Assert.Equal("ended", bill["status"]!.GetValue<string>());
        Assert.Equal("client", bill["endReason"]!.GetValue<string>());
        Assert.Equal(1, bill["creditsCharged"]!.GetValue<long>());
        Assert.Null(bill["connectUrl"]);
        Assert.True(bill["durationMs"]!.GetValue<long>() >= 0);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(bill.ToJsonString(), (await again.Json()).ToJsonString());
        Assert.Equal(9, await tenant.Client.Balance());
    }

    [Fact]
    public async Task Get_and_list_show_the_tenants_sessions_by_status()
    {
        var tenant = await api.NewTenant(credits: 10);
        var first = (await (await tenant.Client.CreateSession()).Json())["id"]!.GetValue<string>();
        var second = (await (await tenant.Client.CreateSession()).Json())["id"]!.GetValue<string>();
        await tenant.Client.PostAsync($"/v1/sessions/{first}/end", null);

        var one = await (await tenant.Client.GetAsync($"/v1/sessions/{second}")).Json();
        var active = await (await tenant.Client.GetAsync("/v1/sessions?status=active")).Json();
        var ended = await (await tenant.Client.GetAsync("/v1/sessions?status=ended")).Json();
        var page1 = await (await tenant.Client.GetAsync("/v1/sessions?limit=1")).Json();
        var page2 = await (await tenant.Client.GetAsync($"/v1/sessions?limit=1&cursor={page1["nextCursor"]}")).Json();

        Assert.Equal("active", one["status"]!.GetValue<string>());
        Assert.Equal([second], active["data"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()));
        Assert.Equal([first], ended["data"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()));
        Assert.Equal(second, page1["data"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(first, page2["data"]![0]!["id"]!.GetValue<string>());
        Assert.Null(page2["nextCursor"]);
    }

    [Fact]
    public async Task Another_tenants_session_is_404_for_every_verb_and_absent_from_lists()
    {
        var owner = await api.NewTenant(credits: 10);
        var intruder = await api.NewTenant(credits: 10);
        var id = (await (await owner.Client.CreateSession()).Json())["id"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.NotFound, (await intruder.Client.GetAsync($"/v1/sessions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.Client.PostAsync($"/v1/sessions/{id}/end", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.Client.DeleteAsync($"/v1/sessions/{id}")).StatusCode);
        Assert.Empty((await (await intruder.Client.GetAsync("/v1/sessions")).Json())["data"]!.AsArray());

        var still = await (await owner.Client.GetAsync($"/v1/sessions/{id}")).Json();
        Assert.Equal("active", still["status"]!.GetValue<string>());
        Assert.Equal(9, await owner.Client.Balance());
    }

    [Theory]
    [InlineData("ses_00000000000000000000000000000000")]
    [InlineData("not-a-session")]
    [InlineData("..%2F..%2Fadmin")]
    public async Task An_unknown_session_is_404(string id)
    {
        var tenant = await api.NewTenant();
        var response = await tenant.Client.GetAsync($"/v1/sessions/{id}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("{\"timeoutSeconds\": \"soon\"}")]
    [InlineData("{\"timeoutSeconds\": 0}")]
    [InlineData("{\"timeoutSeconds\": 999999}")]
    [InlineData("{\"nodePool\": \"../etc\"}")]
    [InlineData("{not json")]
    [InlineData("[1,2,3]")]
    public async Task Bad_input_is_400_problem_details_and_changes_nothing(string json)
    {
        var tenant = await api.NewTenant(credits: 10);

        var response = await tenant.Client.PostAsync("/v1/sessions", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(10, await tenant.Client.Balance());
        Assert.Single(await tenant.Client.Ledger());
    }

    [Fact]
    public async Task A_bad_idempotency_key_or_list_parameter_is_400()
    {
        var tenant = await api.NewTenant(credits: 10);

        Assert.Equal(HttpStatusCode.BadRequest, (await tenant.Client.CreateSession(idempotencyKey: new string('x', 300))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await tenant.Client.GetAsync("/v1/sessions?status=sleeping")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await tenant.Client.GetAsync("/v1/sessions?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await tenant.Client.GetAsync("/v1/sessions?limit=abc")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await tenant.Client.GetAsync("/v1/sessions?cursor=-3")).StatusCode);
        Assert.Equal(10, await tenant.Client.Balance());
    }

    [Fact]
    public async Task An_unknown_node_pool_is_422()
    {
        var tenant = await api.NewTenant(credits: 10);
        var response = await tenant.Client.CreateSession(new { nodePool = "mars" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("unknown_node_pool", (await response.Json())["code"]!.GetValue<string>());
        Assert.Equal(10, await tenant.Client.Balance());
    }

    [Fact]
    public async Task No_active_subscription_is_402()
    {
        var tenant = await api.NewTenant(credits: 10, active: false);
        var response = await tenant.Client.CreateSession();
        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal("subscription_inactive", (await response.Json())["code"]!.GetValue<string>());
        Assert.Equal(10, await tenant.Client.Balance());
    }

    [Fact]
    public async Task No_credit_is_402()
    {
        var tenant = await api.NewTenant(credits: 0);
        var response = await tenant.Client.CreateSession();
        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal("insufficient_credit", (await response.Json())["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_concurrency_limit_is_429_with_retry_after_and_rate_limit_headers()
    {
        var tenant = await api.NewTenant(credits: 10, plan: "small");
        await tenant.Client.CreateSession();
        await tenant.Client.CreateSession();

        var response = await tenant.Client.CreateSession();

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter!.Delta!.Value > TimeSpan.Zero);
        Assert.Equal("2", response.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.Equal("0", response.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.Equal(8, await tenant.Client.Balance());
        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.GetAsync("/v1/sessions")).StatusCode);
    }

    [Fact]
    public async Task No_browser_is_503_with_retry_after_and_the_hold_refunded()
    {
        var tenant = await api.NewTenant(credits: 10);
        api.Pods.FailNextCreations("flaky", 1);

        var response = await tenant.Client.CreateSession(new { nodePool = "flaky" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(10, await tenant.Client.Balance());
        var kinds = (await tenant.Client.Ledger()).Select(e => e!["kind"]!.GetValue<string>());
        Assert.Equal(["refund", "hold", "adjustment"], kinds);
        Assert.Empty((await (await tenant.Client.GetAsync("/v1/sessions")).Json())["data"]!.AsArray());
    }

    [Fact]
    public async Task An_unprovisioned_tenant_is_503()
    {
        var tenant = await api.NewTenant(credits: 10, provisioned: false);
        var response = await tenant.Client.CreateSession();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("tenant_not_provisioned", (await response.Json())["code"]!.GetValue<string>());
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task Ending_is_never_blocked_by_the_concurrency_limit()
    {
        var tenant = await api.NewTenant(credits: 10, plan: "small");
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            ids.Add((await (await tenant.Client.CreateSession()).Json())["id"]!.GetValue<string>());
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await tenant.Client.CreateSession()).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.PostAsync($"/v1/sessions/{ids[0]}/end", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await tenant.Client.CreateSession()).StatusCode);
    }

    [Fact]
    public async Task An_empty_body_is_accepted()
    {
        var tenant = await api.NewTenant(credits: 10);
        var response = await tenant.Client.PostAsync("/v1/sessions", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        _ = await response.Content.ReadFromJsonAsync<object>();
    }
}
