using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using UFBrowsers.Api.Gateway;
using UFBrowsers.Api.Tests.Infrastructure;
using UFBrowsers.Pods;
using UFBrowsers.Sessions;

namespace UFBrowsers.Api.Tests.EndToEnd;

/// <summary>Real Chromium, reached only through the API's CDP gateway.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class GatewayTests(ChromiumProductFixture product)
{
    [Theory]
    [InlineData("connectUrl")]
    [InlineData("cdpUrl")]
    public async Task Playwright_drives_the_browser_through_the_gateway(string urlField)
    {
        var tenant = await product.NewTenant(credits: 10);
        var session = await (await tenant.Client.CreateSession()).Json();
        var id = session["id"]!.GetValue<string>();
        var url = session[urlField]!.GetValue<string>();
        Assert.StartsWith(product.ApiUrl.Replace("http://", urlField == "connectUrl" ? "ws://" : "http://"), url);
        using var playwright = await Playwright.CreateAsync();

        var browser = await playwright.Chromium.ConnectOverCDPAsync(url);
        var page = await browser.Contexts[0].NewPageAsync();
        await page.GotoAsync(product.SiteUrl + "/");
        Assert.Equal("UFBrowsers test page", await page.TitleAsync());
        Assert.Equal(2, await page.EvaluateAsync<int>("() => 1 + 1"));
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
        Assert.True(png.Length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG screenshot");
        Assert.Equal(1, (await (await tenant.Client.GetAsync($"/v1/sessions/{id}")).Json())["connectedClients"]!.GetValue<int>());
        await browser.CloseAsync();

        await Until(async () => (await (await tenant.Client.GetAsync($"/v1/sessions/{id}")).Json())["connectedClients"]!.GetValue<int>() == 0);
        await tenant.Client.PostAsync($"/v1/sessions/{id}/end", null);
        var events = (await (await tenant.Client.GetAsync($"/v1/sessions/{id}/events")).Json())["data"]!.AsArray();
        Assert.Equal(["created", "connected", "disconnected", "ended"], events.Select(e => e!["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Discovery_rewrites_every_websocket_url_to_the_gateway()
    {
        var tenant = await product.NewTenant(credits: 10);
        var session = await (await tenant.Client.CreateSession()).Json();
        var id = session["id"]!.GetValue<string>();
        var token = new Uri(session["connectUrl"]!.GetValue<string>()).Query;
        using var anonymous = product.Anonymous();
        await using (var cdp = await CdpSocket.Connect(session["connectUrl"]!.GetValue<string>()))
        {
            await cdp.Send("Target.createTarget", new { url = "about:blank" });
        }

        var version = await (await anonymous.GetAsync($"{product.ApiUrl}/v1/sessions/{id}/json/version{token}")).Json();
        var list = (await (await anonymous.GetAsync($"{product.ApiUrl}/v1/sessions/{id}/json/list{token}")).Json()).AsArray();

        Assert.Equal(session["connectUrl"]!.GetValue<string>(), version["webSocketDebuggerUrl"]!.GetValue<string>());
        Assert.Contains("Chrome", version["Browser"]!.GetValue<string>());
        var pageTarget = list.First(t => t!["type"]!.GetValue<string>() == "page")!;
        var pageUrl = pageTarget["webSocketDebuggerUrl"]!.GetValue<string>();
        Assert.StartsWith(product.ApiUrl.Replace("http://", "ws://") + $"/v1/sessions/{id}/cdp/page/", pageUrl);
        Assert.Null(pageTarget["devtoolsFrontendUrl"]);
        await using var pageSocket = await CdpSocket.Connect(pageUrl);
        var result = await pageSocket.Send("Runtime.evaluate", new { expression = "1+1" });
        Assert.Equal(2, result["result"]!["value"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{product.ApiUrl}/v1/sessions/{id}/json/version")).StatusCode);
        await tenant.Client.PostAsync($"/v1/sessions/{id}/end", null);
    }

    [Theory]
    [InlineData(EndReason.Client, 4000, "ended_by_api")]
    [InlineData(EndReason.Timeout, 4001, "timeout")]
    [InlineData(EndReason.BalanceExhausted, 4002, "balance_exhausted")]
    [InlineData(EndReason.PodFailed, 4003, "pod_failed")]
    [InlineData(EndReason.Cancelled, 4004, "cancelled")]
    public async Task A_session_that_ends_closes_its_clients_with_a_code_and_reason(EndReason reason, int code, string text)
    {
        var tenant = await product.NewTenant(credits: 10);
        var session = await (await tenant.Client.CreateSession(reason == EndReason.Timeout ? new { timeoutSeconds = 3 } : null)).Json();
        var id = session["id"]!.GetValue<string>();
        await using var cdp = await CdpSocket.Connect(session["connectUrl"]!.GetValue<string>());
        Assert.NotNull((await cdp.Send("Browser.getVersion"))["product"]);

        var grain = product.Grains.GetGrain<ISessionGrain>(id);
        switch (reason)
        {
            case EndReason.Client:
                await tenant.Client.PostAsync($"/v1/sessions/{id}/end", null);
                break;
            case EndReason.Timeout:
                break;
            case EndReason.PodFailed:
                var pod = (await grain.GetPod())!;
                await product.Grains.GetGrain<IPodPoolGrain>(pod.NodePool).ReportPodLost(pod.PodId);
                break;
            default:
                await grain.End(reason);
                break;
        }

        var (status, description) = await cdp.WaitForClose(TimeSpan.FromSeconds(15));

        Assert.Equal(((WebSocketCloseStatus)code, text), (status, description));
        Assert.Equal(reason, (await grain.Get())!.EndReason);
    }

    [Fact]
    public async Task Wrong_expired_foreign_or_missing_tokens_are_refused_before_the_upgrade()
    {
        var tenant = await product.NewTenant(credits: 10);
        var mine = await (await tenant.Client.CreateSession()).Json();
        var theirs = await (await (await product.NewTenant(credits: 10)).Client.CreateSession()).Json();
        var id = mine["id"]!.GetValue<string>();
        var url = mine["connectUrl"]!.GetValue<string>();
        var baseUrl = url[..url.IndexOf('?')];
        var tokens = product.Services.GetRequiredService<SessionTokens>();
        var theirToken = new Uri(theirs["connectUrl"]!.GetValue<string>()).Query;
        var unknownId = SessionIds.New();

        Assert.Equal(HttpStatusCode.Unauthorized, await UpgradeStatus(baseUrl));
        Assert.Equal(HttpStatusCode.Unauthorized, await UpgradeStatus(baseUrl + "?token=123.AAAA"));
        Assert.Equal(HttpStatusCode.Unauthorized, await UpgradeStatus(baseUrl + theirToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await UpgradeStatus(baseUrl + "?token=" + tokens.Issue(id, DateTimeOffset.UtcNow.AddSeconds(-5))));
        Assert.Equal(HttpStatusCode.NotFound, await UpgradeStatus(
            $"{product.ApiUrl.Replace("http://", "ws://")}/v1/sessions/{unknownId}/cdp?token={tokens.Issue(unknownId, DateTimeOffset.UtcNow.AddMinutes(5))}"));

        await tenant.Client.PostAsync($"/v1/sessions/{id}/end", null);
        Assert.Equal(HttpStatusCode.NotFound, await UpgradeStatus(url));
        var events = (await (await tenant.Client.GetAsync($"/v1/sessions/{id}/events")).Json())["data"]!.AsArray();
        Assert.DoesNotContain(events, e => e!["type"]!.GetValue<string>() == "connected");
    }

    [Fact]
    public async Task A_session_without_a_client_for_its_idle_timeout_ends_in_real_time()
    {
        var tenant = await product.NewTenant(credits: 10);
        var session = await (await tenant.Client.CreateSession(new { idleTimeoutSeconds = 2 })).Json();
        var id = session["id"]!.GetValue<string>();
        await using (var cdp = await CdpSocket.Connect(session["connectUrl"]!.GetValue<string>()))
        {
            await cdp.Send("Browser.getVersion");
        }

        var clock = Stopwatch.StartNew();
        await Until(async () => (await (await tenant.Client.GetAsync($"/v1/sessions/{id}")).Json())["status"]!.GetValue<string>() == "ended", TimeSpan.FromSeconds(30));

        // Not before the timeout; how long after it depends on the machine's load, but the grain ends it as of its deadline.
        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(1.5), $"ended after {clock.Elapsed}, before the idle timeout");
        var ended = await (await tenant.Client.GetAsync($"/v1/sessions/{id}")).Json();
        Assert.Equal(("idle_timeout", 1L), (ended["endReason"]!.GetValue<string>(), ended["creditsCharged"]!.GetValue<long>()));
        var events = (await (await tenant.Client.GetAsync($"/v1/sessions/{id}/events")).Json())["data"]!.AsArray();
        var left = events.Single(e => e!["type"]!.GetValue<string>() == "disconnected")!["at"]!.GetValue<DateTimeOffset>();
        var end = events.Single(e => e!["type"]!.GetValue<string>() == "ended")!["at"]!.GetValue<DateTimeOffset>();
        Assert.Equal(TimeSpan.FromSeconds(2), end - left);
        Assert.Equal(9, await tenant.Client.Balance());
    }

    private static async Task<HttpStatusCode> UpgradeStatus(string url)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var ex = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri(url), CancellationToken.None));
        Assert.Equal(WebSocketError.NotAWebSocket, ex.WebSocketErrorCode);
        return socket.HttpStatusCode;
    }

    private static async Task Until(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < (timeout ?? TimeSpan.FromSeconds(10)), "condition not reached in time");
            await Task.Delay(50);
        }
    }
}
