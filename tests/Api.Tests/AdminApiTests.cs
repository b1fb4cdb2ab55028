using System.Net;
using System.Net.Http.Json;
using UFBrowsers.Api.Tests.Infrastructure;

namespace UFBrowsers.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class AdminApiTests(ApiFixture api)
{
    [Fact]
    public async Task Creating_a_customer_returns_its_account_and_a_working_key()
    {
        using var op = api.Operator();
        var id = "acme-" + Guid.NewGuid().ToString("N")[..8];

        var response = await op.PostAsJsonAsync("/admin/customers", new { id, name = "Acme", plan = "professional" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Json();
        Assert.Equal("none", body["account"]!["status"]!.GetValue<string>());
        Assert.Equal(0, body["account"]!["balance"]!.GetValue<long>());
        using var customer = api.WithKey(body["apiKey"]!["key"]!.GetValue<string>());
        Assert.Equal(id, (await (await customer.GetAsync("/v1/account")).Json())["customerId"]!.GetValue<string>());
        Assert.Contains(id, (await (await op.GetAsync("/admin/customers?limit=100")).Json()).ToJsonString());
    }

    [Fact]
    public async Task Duplicate_unknown_plan_and_bad_ids_are_refused()
    {
        using var op = api.Operator();
        var id = "dup-" + Guid.NewGuid().ToString("N")[..8];
        await op.PostAsJsonAsync("/admin/customers", new { id, name = "Dup", plan = "professional" });

        Assert.Equal(HttpStatusCode.Conflict, (await op.PostAsJsonAsync("/admin/customers", new { id, name = "Dup", plan = "professional" })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await op.PostAsJsonAsync("/admin/customers", new { name = "X", plan = "platinum" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.PostAsJsonAsync("/admin/customers", new { id = "Bad Id!", name = "X", plan = "professional" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.PostAsJsonAsync("/admin/customers", new { plan = "professional" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync("/admin/customers/nobody-here")).StatusCode);
    }

    [Fact]
    public async Task Changing_plan_and_status_takes_effect_and_bad_values_change_nothing()
    {
        var tenant = await api.NewTenant();
        using var op = api.Operator();

        var changed = await op.PutAsJsonAsync($"/admin/customers/{tenant.Id}/subscription", new { plan = "small", status = "past_due" });
        var badPlan = await op.PutAsJsonAsync($"/admin/customers/{tenant.Id}/subscription", new { plan = "platinum" });
        var badStatus = await op.PutAsJsonAsync($"/admin/customers/{tenant.Id}/subscription", new { status = "sleepy" });

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badPlan.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        var account = await (await tenant.Client.GetAsync("/v1/account")).Json();
        Assert.Equal(("small", "past_due"), (account["plan"]!["name"]!.GetValue<string>(), account["status"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.PaymentRequired, (await tenant.Client.CreateSession()).StatusCode);
    }

    [Fact]
    public async Task Credit_adjustments_need_a_key_and_a_reason_and_apply_once()
    {
        var tenant = await api.NewTenant(credits: 0);
        using var op = api.Operator();

        async Task<HttpResponseMessage> Adjust(object body, string? key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/customers/{tenant.Id}/credits") { Content = JsonContent.Create(body) };
            if (key is not null)
            {
                request.Headers.Add("Idempotency-Key", key);
            }

            return await op.SendAsync(request);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await Adjust(new { amount = 50, reason = "goodwill" }, null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Adjust(new { amount = 50 }, "k0")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Adjust(new { amount = 50, reason = "goodwill" }, "k1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Adjust(new { amount = 50, reason = "goodwill" }, "k1")).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Adjust(new { amount = -51, reason = "too much" }, "k2")).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Adjust(new { amount = 0, reason = "nothing" }, "k3")).StatusCode);

        Assert.Equal(50, await tenant.Client.Balance());
        Assert.Single(await tenant.Client.Ledger());
    }
}
