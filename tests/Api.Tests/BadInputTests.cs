using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using UFBrowsers.Api.Tests.Infrastructure;

namespace UFBrowsers.Api.Tests;

/// <summary>Input a hostile or careless client sends: a clear 4xx with a code, a message without .NET internals, and nothing changed.</summary>
[Collection(ApiCollection.Name)]
public sealed class BadInputTests(ApiFixture api)
{
    private const int JustOverLimit = 64 * 1024 + 1;

    public static TheoryData<string, string> JsonEndpoints => new()
    {
        { "POST", "/v1/sessions" },
        { "POST", "/v1/account/api-keys" },
        { "POST", "/v1/billing/checkout" },
        { "POST", "/admin/customers" },
        { "PUT", "/admin/customers/{id}/subscription" },
        { "POST", "/admin/customers/{id}/credits" },
        { "POST", "/admin/customers/{id}/api-keys" },
    };

    [Theory]
    [MemberData(nameof(JsonEndpoints))]
    public async Task A_json_body_over_64_KB_is_413_body_too_large_and_changes_nothing(string method, string path)
    {
        var tenant = await api.NewTenant(credits: 50);
        using var op = api.Operator();
        var client = path.StartsWith("/admin", StringComparison.Ordinal) ? op : tenant.Client;
        var before = await Snapshot(tenant, op);
        var id = "huge-" + Guid.NewGuid().ToString("N")[..8];
        var body = PaddedJson(JustOverLimit, $"\"id\":\"{id}\",\"name\":\"Huge\",\"plan\":\"small\",\"amount\":5,\"reason\":\"r\",");

        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", tenant.Id, StringComparison.Ordinal))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("body_too_large", (await response.Json())["code"]!.GetValue<string>());
        Assert.Equal(before, await Snapshot(tenant, op));
        Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync($"/admin/customers/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_json_body_of_almost_64_KB_is_read()
    {
        using var op = api.Operator();
        var id = "big-" + Guid.NewGuid().ToString("N")[..8];
        var body = PaddedJson(64 * 1024, $"\"id\":\"{id}\",\"name\":\"Big\",\"plan\":\"professional\",");

        var response = await op.PostAsync("/admin/customers", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public static TheoryData<string> HiddenCharacters => ["\u202E", "\u202A", "\u2066", "\u2069", "\u200B", "\u200F", "\uFEFF", "\u0000", "\u0007", "\n", "\u001B", "\u0085", "\u2028"];

    [Theory]
    [MemberData(nameof(HiddenCharacters))]
    public async Task Names_with_control_or_bidi_override_characters_are_400_and_change_nothing(string hidden)
    {
        var tenant = await api.NewTenant(credits: 50);
        using var op = api.Operator();
        var before = await Snapshot(tenant, op);
        var name = "Invoice" + hidden + "fdp.exe";
        var id = "bidi-" + Guid.NewGuid().ToString("N")[..8];

        HttpResponseMessage[] responses =
        [
            await op.PostAsJsonAsync("/admin/customers", new { id, name, plan = "professional" }),
            await op.PostAsJsonAsync("/admin/customers", new { name = "Fine", plan = "profess" + hidden + "ional" }),
            await tenant.Client.PostAsJsonAsync("/v1/account/api-keys", new { name }),
            await op.PostAsJsonAsync($"/admin/customers/{tenant.Id}/api-keys", new { name }),
            await op.PutAsJsonAsync($"/admin/customers/{tenant.Id}/subscription", new { plan = "small" + hidden }),
            await Send(op, HttpMethod.Post, $"/admin/customers/{tenant.Id}/credits", new { amount = 5, reason = name }),
            await tenant.Client.PostAsJsonAsync("/v1/billing/checkout", new { plan = "small" + hidden }),
            await tenant.Client.CreateSession(new { nodePool = "default" + hidden }),
        ];

        var problems = new List<JsonNode>();
        foreach (var (response, i) in responses.Select((r, i) => (r, i)))
        {
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"request {i}: {(int)response.StatusCode} {problem.ToJsonString()}");
            Assert.StartsWith("invalid_", problem["code"]!.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), problem.ToJsonString());
            problems.Add(problem);
        }

        Assert.Contains($"U+{(int)hidden[0]:X4}", problems[0]["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync($"/admin/customers/{id}")).StatusCode);
        Assert.Equal(before, await Snapshot(tenant, op));
    }

    [Fact]
    public async Task Names_in_other_scripts_and_with_emoji_are_accepted()
    {
        using var op = api.Operator();
        var id = "intl-" + Guid.NewGuid().ToString("N")[..8];

        var response = await op.PostAsJsonAsync("/admin/customers", new { id, name = "Müller & Söhne · שלום · 東京 🚀", plan = "professional" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public static TheoryData<string> OverflowingAmounts => ["9223372036854775807", "-9223372036854775808", "1000000000000001", "-1000000000000001"];

    [Theory]
    [MemberData(nameof(OverflowingAmounts))]
    public async Task A_credit_amount_that_would_overflow_is_422_amount_too_large_and_changes_nothing(string amount)
    {
        var tenant = await api.NewTenant(credits: 100);
        using var op = api.Operator();
        var before = await Snapshot(tenant, op);

        var response = await SendRaw(op, $"/admin/customers/{tenant.Id}/credits", $"{{\"amount\":{amount},\"reason\":\"typo\"}}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("amount_too_large", (await response.Json())["code"]!.GetValue<string>());
        Assert.Equal(before, await Snapshot(tenant, op));
    }

    [Fact]
    public async Task Credits_that_would_sum_past_the_largest_balance_are_422_and_change_nothing()
    {
        var tenant = await api.NewTenant(credits: 100);
        using var op = api.Operator();
        var first = await SendRaw(op, $"/admin/customers/{tenant.Id}/credits", "{\"amount\":999999999999000,\"reason\":\"large but allowed\"}");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var before = await Snapshot(tenant, op);

        var second = await SendRaw(op, $"/admin/customers/{tenant.Id}/credits", "{\"amount\":9223372036854775000,\"reason\":\"past the long range\"}");
        var third = await SendRaw(op, $"/admin/customers/{tenant.Id}/credits", "{\"amount\":901,\"reason\":\"one too many\"}");

        Assert.Equal((HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity), (second.StatusCode, third.StatusCode));
        Assert.Equal("amount_too_large", (await third.Json())["code"]!.GetValue<string>());
        Assert.Equal(before, await Snapshot(tenant, op));
        Assert.Equal(999999999999100, await tenant.Client.Balance());
    }

    [Fact]
    public async Task An_amount_beyond_a_64_bit_integer_is_400_without_dotnet_text()
    {
        var tenant = await api.NewTenant(credits: 100);
        using var op = api.Operator();

        var response = await SendRaw(op, $"/admin/customers/{tenant.Id}/credits", "{\"amount\":99999999999999999999999,\"reason\":\"x\"}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("$.amount", (await response.Json())["detail"]!.GetValue<string>());
        Assert.Equal(100, await tenant.Client.Balance());
    }

    [Fact]
    public async Task No_problem_body_carries_dotnet_exception_text()
    {
        var tenant = await api.NewTenant(credits: 10);
        using var op = api.Operator();
        var id = tenant.Id;
        (HttpClient Client, HttpMethod Method, string Path, string? Body, string? ContentType)[] requests =
        [
            (op, HttpMethod.Post, "/admin/customers", """{"name":"X","plan":"platinum"}""", null),
            (op, HttpMethod.Put, $"/admin/customers/{id}/subscription", """{"plan":"platinum"}""", null),
            (op, HttpMethod.Put, $"/admin/customers/{id}/subscription", """{"status":"sleepy"}""", null),
            (op, HttpMethod.Put, $"/admin/customers/{id}/subscription", """{"tenantProvisioned":"maybe"}""", null),
            (op, HttpMethod.Post, $"/admin/customers/{id}/credits", """{"amount":"ten","reason":"x"}""", null),
            (op, HttpMethod.Post, $"/admin/customers/{id}/credits", """{"amount":1.5,"reason":"x"}""", null),
            (op, HttpMethod.Post, $"/admin/customers/{id}/credits", """{"amount":5,"reason":""}""", null),
            (op, HttpMethod.Post, $"/admin/customers/{id}/credits", "", null),
            (op, HttpMethod.Post, "/admin/customers", """{"name":"X","plan":""}""", null),
            (op, HttpMethod.Post, "/admin/customers", "{\"name\":\"" + new string('n', 201) + "\",\"plan\":\"professional\"}", null),
            (op, HttpMethod.Post, "/admin/customers", "{not json", null),
            (op, HttpMethod.Post, "/admin/customers", "[]", null),
            (op, HttpMethod.Post, "/admin/customers", """{"name":"X","plan":"professional"}""", "text/plain"),
            (op, HttpMethod.Get, "/admin/customers?limit=abc", null, null),
            (op, HttpMethod.Get, "/admin/customers?limit=99999999999999", null, null),
            (tenant.Client, HttpMethod.Post, "/v1/sessions", """{"timeoutSeconds":"soon"}""", null),
            (tenant.Client, HttpMethod.Post, "/v1/sessions", """{"nodePool":7}""", null),
            (tenant.Client, HttpMethod.Post, "/v1/sessions", """{"timeoutSeconds":1e99}""", null),
            (tenant.Client, HttpMethod.Get, "/v1/sessions?limit=-1&cursor=zz", null, null),
            (tenant.Client, HttpMethod.Get, "/v1/sessions?status=sideways", null, null),
            (tenant.Client, HttpMethod.Get, "/v1/account/ledger?limit=x", null, null),
            (tenant.Client, HttpMethod.Get, "/v1/account/usage?days=zero", null, null),
            (tenant.Client, HttpMethod.Post, "/v1/account/api-keys", """{"name":["a"]}""", null),
            (tenant.Client, HttpMethod.Post, "/v1/billing/checkout", """{"plan":null}""", null),
            (tenant.Client, HttpMethod.Post, "/v1/billing/checkout", """{"plan":"platinum"}""", null),
        ];

        foreach (var (client, method, path, body, contentType) in requests)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, contentType ?? "application/json");
            }

            var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();

            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{method} {path} {body}: {(int)response.StatusCode} {text}");
            var problem = JsonNode.Parse(text)!;
            Assert.False(string.IsNullOrEmpty(problem["code"]?.GetValue<string>()), $"{method} {path} {body}: no code in {text}");
            foreach (var internals in new[] { "Parameter '", "System.", "Exception", "   at ", "Microsoft.", "UFBrowsers.", "Int64", "Int32", "String", "Nullable" })
            {
                Assert.False(text.Contains(internals, StringComparison.Ordinal), $"{method} {path} {body}: '{internals}' in {text}");
            }
        }
    }

    private static string PaddedJson(int totalBytes, string members = "")
    {
        var shell = "{" + members + "\"padding\":\"\"}";
        return "{" + members + "\"padding\":\"" + new string('x', totalBytes - shell.Length) + "\"}";
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, object body)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> SendRaw(HttpClient client, string path, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return client.SendAsync(request);
    }

    /// <summary>Everything a bad request could have changed for this tenant: account, ledger, keys, sessions.</summary>
    private static async Task<string> Snapshot(TestTenant tenant, HttpClient op)
    {
        var account = await (await tenant.Client.GetAsync("/v1/account")).Json();
        var keys = await (await tenant.Client.GetAsync("/v1/account/api-keys")).Json();
        var sessions = await (await tenant.Client.GetAsync("/v1/sessions?limit=100")).Json();
        var ledger = await tenant.Client.Ledger();
        var audit = await (await op.GetAsync($"/admin/customers/{tenant.Id}")).Json();
        return string.Join("\n", account.ToJsonString(), keys["data"]!.AsArray().Count, sessions.ToJsonString(), ledger.ToJsonString(), audit.ToJsonString());
    }
}
