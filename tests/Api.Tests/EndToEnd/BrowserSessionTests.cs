using Microsoft.Playwright;
using UFBrowsers.Api.Tests.Infrastructure;
using UFBrowsers.Sessions;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Api.Tests.EndToEnd;

[Collection(ChromiumCollection.Name)]
public sealed class BrowserSessionTests(ChromiumProductFixture product)
{
    [Fact]
    public async Task A_session_drives_a_real_browser_is_billed_and_leaves_nothing_for_the_next_tenant()
    {
        var tenant = await product.NewTenant(credits: 10);
        using var playwright = await Playwright.CreateAsync();

        var first = await (await tenant.Client.CreateSession()).Json();
        var firstId = first["id"]!.GetValue<string>();
        var connectUrl = first["connectUrl"]!.GetValue<string>();
        Assert.StartsWith(product.ApiUrl.Replace("http://", "ws://") + $"/v1/sessions/{firstId}/cdp?token=", connectUrl);
        var pod = (await product.Grains.GetGrain<ISessionGrain>(firstId).GetPod())!;
        var browser = await playwright.Chromium.ConnectOverCDPAsync(connectUrl);
        var page = await browser.Contexts[0].NewPageAsync();
        await page.GotoAsync(product.SiteUrl + "/");
        Assert.Equal("UFBrowsers test page", await page.TitleAsync());
        Assert.Equal("Hello from the test site", await page.InnerTextAsync("#greeting"));
        await page.GotoAsync(product.SiteUrl + "/set-cookie");
        await page.EvaluateAsync("() => localStorage.setItem('tenant_secret', 'first-tenant')");
        Assert.Contains("tenant_secret=first-tenant", await page.EvaluateAsync<string>("() => document.cookie"));
        await browser.CloseAsync();

        var bill = await (await tenant.Client.PostAsync($"/v1/sessions/{firstId}/end", null)).Json();
        Assert.Equal(1, bill["creditsCharged"]!.GetValue<long>());
        var charges = (await tenant.Client.Ledger()).Where(e => e!["sessionId"]?.GetValue<string>() == firstId).Sum(e => e!["amount"]!.GetValue<long>());
        Assert.Equal(-1, charges);
        Assert.Equal(9, await tenant.Client.Balance());
        Assert.False(await PodDevTools.AcceptsConnectionsAsync(pod), "the first session's browser must be gone after the session ends");
        Assert.False(File.Exists(pod.DevToolsSocket), "the first session's DevTools socket must be gone with its pod");

        var second = await (await tenant.Client.CreateSession()).Json();
        var secondUrl = second["connectUrl"]!.GetValue<string>();
        Assert.NotEqual(connectUrl, secondUrl);
        var browser2 = await playwright.Chromium.ConnectOverCDPAsync(secondUrl);
        var page2 = await browser2.Contexts[0].NewPageAsync();
        await page2.GotoAsync(product.SiteUrl + "/");
        Assert.Equal("", await page2.EvaluateAsync<string>("() => document.cookie"));
        Assert.Null(await page2.EvaluateAsync<string?>("() => localStorage.getItem('tenant_secret')"));
        await browser2.CloseAsync();
        await tenant.Client.PostAsync($"/v1/sessions/{second["id"]}/end", null);
        Assert.Equal(8, await tenant.Client.Balance());
    }
}
