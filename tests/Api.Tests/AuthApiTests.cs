using System.Net;
using System.Net.Http.Json;
using UFBrowsers.Api.Tests.Infrastructure;
using UFBrowsers.ApiKeys;

namespace UFBrowsers.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class AuthApiTests(ApiFixture api)
{
    [Theory]
    [InlineData(null)]
    [InlineData("garbage")]
    [InlineData("ufb_0123456789abcdef_wrongsecret")]
    [InlineData("ufb_zzzz")]
    public async Task Without_a_valid_key_every_customer_endpoint_is_401(string? key)
    {
        using var client = key is null ? api.CreateClient() : api.WithKey(key);

        foreach (var (method, path) in new[] { ("POST", "/v1/sessions"), ("GET", "/v1/sessions"), ("GET", "/v1/account"), ("GET", "/v1/account/ledger"), ("GET", "/v1/account/api-keys") })
        {
            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }
    }

    [Fact]
    public async Task A_revoked_key_stops_working_at_once_and_other_keys_keep_working()
    {
        var tenant = await api.NewTenant();
        var second = await (await tenant.Client.PostAsJsonAsync("/v1/account/api-keys", new { name = "ci" })).Json();
        using var secondClient = api.WithKey(second["key"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await secondClient.GetAsync("/v1/account")).StatusCode);

        var revoke = await tenant.Client.DeleteAsync($"/v1/account/api-keys/{second["id"]}");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await secondClient.GetAsync("/v1/account")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await secondClient.CreateSession()).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.GetAsync("/v1/account")).StatusCode);
    }

    [Fact]
    public async Task A_key_is_shown_once_and_listed_without_its_secret()
    {
        var tenant = await api.NewTenant();

        var created = await tenant.Client.PostAsJsonAsync("/v1/account/api-keys", new { name = "ci" });
        var list = await (await tenant.Client.GetAsync("/v1/account/api-keys")).Json();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var token = (await created.Json())["key"]!.GetValue<string>();
        Assert.StartsWith("ufb_", token);
        var listed = list["data"]!.AsArray();
        Assert.Equal(2, listed.Count);
        Assert.All(listed, k => Assert.Null(k!["key"]));
        Assert.True(ApiKeyToken.TryParse(token, out _, out var secret));
        Assert.DoesNotContain(secret, list.ToJsonString());
    }

    [Fact]
    public async Task A_tenant_cannot_revoke_another_tenants_key()
    {
        var a = await api.NewTenant();
        var b = await api.NewTenant();
        var bKey = await (await b.Client.PostAsJsonAsync("/v1/account/api-keys", new { name = "b" })).Json();

        var response = await a.Client.DeleteAsync($"/v1/account/api-keys/{bKey["id"]}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var bClient = api.WithKey(bKey["key"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await bClient.GetAsync("/v1/account")).StatusCode);
    }

    [Fact]
    public async Task Operator_endpoints_refuse_customer_keys_and_wrong_tokens()
    {
        var tenant = await api.NewTenant();
        using var wrong = api.WithKey("not-the-operator-token");
        using var anonymous = api.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await tenant.Client.GetAsync("/admin/customers")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/admin/customers")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/admin/customers", new { name = "x", plan = "professional" })).StatusCode);
    }

    [Fact]
    public async Task The_account_shows_plan_status_balance_and_concurrency()
    {
        var tenant = await api.NewTenant(credits: 25);
        await tenant.Client.CreateSession();

        var account = await (await tenant.Client.GetAsync("/v1/account")).Json();

        Assert.Equal(tenant.Id, account["customerId"]!.GetValue<string>());
        Assert.Equal("professional", account["plan"]!["name"]!.GetValue<string>());
        Assert.Equal(4900, account["plan"]!["monthlyPriceCents"]!.GetValue<long>());
        Assert.Equal("active", account["status"]!.GetValue<string>());
        Assert.Equal(24, account["balance"]!.GetValue<long>());
        Assert.Equal(1, account["concurrency"]!["used"]!.GetValue<int>());
        Assert.Equal(10, account["concurrency"]!["limit"]!.GetValue<int>());
        Assert.Equal(UFBrowsers.Grains.Customers.TenantNamespace.For(tenant.Id), account["tenant"]!["namespace"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_ledger_is_paged_newest_first_and_sums_to_the_balance()
    {
        var tenant = await api.NewTenant(credits: 10);
        for (var i = 0; i < 3; i++)
        {
            var id = (await (await tenant.Client.CreateSession()).Json())["id"]!.GetValue<string>();
            await tenant.Client.PostAsync($"/v1/sessions/{id}/end", null);
        }

        var page1 = await (await tenant.Client.GetAsync("/v1/account/ledger?limit=2")).Json();
        var page2 = await (await tenant.Client.GetAsync($"/v1/account/ledger?limit=2&cursor={page1["nextCursor"]}")).Json();
        var all = await tenant.Client.Ledger();

        var ids = page1["data"]!.AsArray().Concat(page2["data"]!.AsArray()).Select(e => e!["id"]!.GetValue<long>()).ToList();
        Assert.Equal(ids.OrderByDescending(i => i), ids);
        Assert.Equal(4, all.Count);
        Assert.Equal(await tenant.Client.Balance(), all.Sum(e => e!["amount"]!.GetValue<long>()));
        Assert.Equal(7, await tenant.Client.Balance());
    }
}
