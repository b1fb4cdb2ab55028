using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using UFBrowsers.Sessions;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Isolation.Tests;

/// <summary>
/// The attacks of the original report, made as a customer makes them: an API key, a session, Playwright on the session's
/// connect URL through the gateway.
/// </summary>
[Collection(HostileTenantCollection.Name)]
public sealed class ThroughTheGatewayTests(HostileTenantFixture target, ProductFixture product) : IClassFixture<ProductFixture>
{
    [Fact]
    public async Task A_tenant_cannot_read_this_machines_files_or_reach_its_services_through_its_session()
    {
        var tenant = await product.NewTenant(credits: 10);
        var session = (await (await tenant.PostAsJsonAsync("/v1/sessions", new { })).Content.ReadFromJsonAsync<JsonNode>())!;
        using var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.ConnectOverCDPAsync(session["connectUrl"]!.GetValue<string>());
        var page = await browser.Contexts[0].NewPageAsync();

        var file = await Assert.ThrowsAsync<PlaywrightException>(() => page.GotoAsync("file://" + target.SecretPath));
        Assert.Contains("net::ERR_FILE_NOT_FOUND", file.Message);
        var api = await Assert.ThrowsAsync<PlaywrightException>(() => page.GotoAsync(product.ApiUrl + "/admin/customers"));
        Assert.Contains("net::ERR_CONNECTION_REFUSED", api.Message);
        var postgres = await Assert.ThrowsAsync<PlaywrightException>(() => page.GotoAsync($"http://127.0.0.1:{target.Postgres.Port}/"));
        Assert.Contains("net::ERR_CONNECTION_REFUSED", postgres.Message);

        // The same session reaches the outside (a fresh tab: the last failed navigation may still be settling in the first).
        var outside = await browser.Contexts[0].NewPageAsync();
        await outside.GotoAsync(target.Network.PublicUrl + "/");
        Assert.Equal(HostileTenantFixture.Reached, await outside.InnerTextAsync("body"));
        await browser.CloseAsync();
    }

    [Fact]
    public async Task A_session_whose_page_allocates_without_end_ends_as_pod_failed_billed_and_the_other_session_goes_on()
    {
        var tenant = await product.NewTenant(credits: 10);
        var hogSession = (await (await tenant.PostAsJsonAsync("/v1/sessions", new { })).Content.ReadFromJsonAsync<JsonNode>())!;
        var otherSession = (await (await tenant.PostAsJsonAsync("/v1/sessions", new { })).Content.ReadFromJsonAsync<JsonNode>())!;
        using var playwright = await Playwright.CreateAsync();
        var other = await playwright.Chromium.ConnectOverCDPAsync(otherSession["connectUrl"]!.GetValue<string>());
        var otherPage = await other.Contexts[0].NewPageAsync();
        await otherPage.GotoAsync(target.Network.PublicUrl + "/");
        var hog = await playwright.Chromium.ConnectOverCDPAsync(hogSession["connectUrl"]!.GetValue<string>());
        var hogPage = await hog.Contexts[0].NewPageAsync();

        await hogPage.EvaluateAsync(
            """
            () => {
              window.held = [];
              (async () => {
                for (;;) {
                  const block = new Uint8Array(32 * 1024 * 1024);
                  block.fill(7);
                  window.held.push(block);
                  await new Promise(resolve => setTimeout(resolve, 10));
                }
              })();
            }
            """);

        var hogId = hogSession["id"]!.GetValue<string>();
        var grain = product.Grains.GetGrain<ISessionGrain>(hogId);
        await Wait.Until(async () => (await grain.Get())!.Status == SessionStatus.Ended, "the hog's session ends", TimeSpan.FromSeconds(60));

        var ended = (await grain.Get())!;
        Assert.Equal(EndReason.PodFailed, ended.EndReason);
        Assert.True(ended.CreditsCharged >= 1, $"billed for its time: {ended}");
        var bill = (await (await tenant.GetAsync($"/v1/sessions/{hogId}")).Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.Equal("ended", bill["status"]!.GetValue<string>());
        Assert.Equal("pod_failed", bill["endReason"]!.GetValue<string>());

        Assert.Equal(HostileTenantFixture.Reached, await otherPage.InnerTextAsync("body"));
        Assert.Equal(2, await otherPage.EvaluateAsync<int>("() => 1 + 1"));
        Assert.Equal(SessionStatus.Active, (await product.Grains.GetGrain<ISessionGrain>(otherSession["id"]!.GetValue<string>()).Get())!.Status);
        await other.CloseAsync();
    }
}
