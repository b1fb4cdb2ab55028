using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using UFBrowsers.Api.Tests.Infrastructure;
using UFBrowsers.ApiKeys;

namespace UFBrowsers.Api.Tests.Observability;

public sealed class LogSecretsTests(LogCaptureFixture api) : IClassFixture<LogCaptureFixture>
{
    [Fact]
    public async Task A_session_lifecycle_logs_its_ids_in_scope_and_never_a_key_or_token()
    {
        var tenant = await api.NewTenant(credits: 10);
        var created = await (await tenant.Client.PostAsJsonAsync("/v1/account/api-keys", new { name = "second" })).Json();
        var secondKey = created["key"]!.GetValue<string>();

        var session = await (await tenant.Client.CreateSession(idempotencyKey: "log-test")).Json();
        var sessionId = session["id"]!.GetValue<string>();
        using var second = api.WithKey(secondKey);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync($"/v1/sessions/{sessionId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.PostAsync($"/v1/sessions/{sessionId}/end", null)).StatusCode);
        await tenant.Client.Ledger();
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync($"/v1/account/api-keys/{created["id"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/v1/account")).StatusCode);
        using var wrong = api.WithKey(tenant.ApiKey + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/v1/account")).StatusCode);
        using var browser = api.CreateClient();
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("operator:" + ApiFactory.OperatorToken));
        browser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", basic);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/dashboard/DashboardCounters")).StatusCode);

        var logs = api.Logs.Entries.ToList();
        Assert.Contains(logs, l => l.Text.Contains($"Session {sessionId}", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Scopes.GetValueOrDefault("CustomerId") == tenant.Id && l.Scopes.ContainsKey("RequestId"));
        Assert.Contains(logs, l => l.Scopes.GetValueOrDefault("SessionId") == sessionId && l.Scopes.GetValueOrDefault("CustomerId") == tenant.Id);

        var secrets = new List<string> { ApiFactory.OperatorToken, basic };
        foreach (var key in new[] { tenant.ApiKey, secondKey })
        {
            Assert.True(ApiKeyToken.TryParse(key, out _, out var secret));
            secrets.Add(key);
            secrets.Add(secret);
        }

        var leaks = logs.SelectMany(l => secrets.Where(s => l.Text.Contains(s, StringComparison.Ordinal)).Select(_ => $"{l.Category}: {l.Text}")).ToList();
        Assert.True(leaks.Count == 0, "secrets in the logs:\n" + string.Join("\n", leaks.Take(5)));
    }
}
