using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using UFBrowsers.Api.Tests.Infrastructure;
using UFBrowsers.TestSupport.Faults;

namespace UFBrowsers.Api.Tests.EndToEnd;

/// <summary>Persistent profiles against real sandboxed Chromium: a login kept across sessions, tenants kept apart, one writer at a time.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class ProfileEndToEndTests(ChromiumProductFixture product)
{
    [Fact]
    public async Task A_login_saved_at_the_end_of_a_persisting_session_is_there_when_the_next_session_starts()
    {
        var tenant = await product.NewTenant(credits: 10);
        var profileId = await NewProfile(tenant, "shop login");
        using var playwright = await Playwright.CreateAsync();

        var first = await StartWith(tenant, profileId, persist: true);
        await using (var browser = await playwright.Chromium.ConnectOverCDPAsync(first.ConnectUrl))
        {
            var page = await browser.Contexts[0].NewPageAsync();
            await page.GotoAsync(product.SiteUrl + "/login?user=alice");
            await page.GotoAsync(product.SiteUrl + "/whoami");
            Assert.Equal("alice", await page.InnerTextAsync("#server-user"));
            Assert.DoesNotContain("sid=", await page.EvaluateAsync<string>("() => document.cookie"));
        }

        await End(tenant, first.Id);
        var saved = await Profile(tenant, profileId);
        Assert.Equal(1, saved["version"]!.GetValue<long>());
        Assert.True(saved["sizeBytes"]!.GetValue<long>() > 0);
        Assert.True(saved["lastSave"]!["saved"]!.GetValue<bool>());
        Assert.Equal(first.Id, saved["lastSave"]!["sessionId"]!.GetValue<string>());
        Assert.Null(saved["persistingSessionId"]?.GetValue<string>());

        // A new browser in a new pod: the HttpOnly cookie reaches the site, the page finds its localStorage.
        var second = await StartWith(tenant, profileId, persist: false);
        Assert.NotEqual(first.PodId, second.PodId);
        await using (var browser = await playwright.Chromium.ConnectOverCDPAsync(second.ConnectUrl))
        {
            var page = await browser.Contexts[0].NewPageAsync();
            await page.GotoAsync(product.SiteUrl + "/whoami");
            Assert.Equal("alice", await page.InnerTextAsync("#server-user"));
            Assert.Equal("alice", await page.InnerTextAsync("#local-user"));
            var cookies = await page.EvaluateAsync<string>("() => document.cookie");
            Assert.Contains("theme=dark", cookies);
            Assert.DoesNotContain("sid=", cookies);
        }

        await End(tenant, second.Id);
        Assert.Equal(1, (await Profile(tenant, profileId))["version"]!.GetValue<long>());
        Assert.Equal(8, await tenant.Client.Balance());
    }

    [Fact]
    public async Task Another_tenant_can_neither_read_nor_start_a_session_with_a_profile_it_does_not_own()
    {
        var owner = await product.NewTenant(credits: 10);
        var other = await product.NewTenant(credits: 10);
        var profileId = await NewProfile(owner, "owner's");

        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync($"/v1/profiles/{profileId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.DeleteAsync($"/v1/profiles/{profileId}")).StatusCode);
        Assert.Empty((await (await other.Client.GetAsync("/v1/profiles")).Json())["data"]!.AsArray());
        foreach (var persist in new[] { true, false })
        {
            var refused = await other.Client.CreateSession(new { profile = new { id = profileId, persist } });
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Equal("profile_not_found", (await refused.Json())["code"]!.GetValue<string>());
        }

        Assert.Equal(10, await other.Client.Balance());
        Assert.DoesNotContain(await other.Client.Ledger(), e => e!["sessionId"] is not null);
        var untouched = await Profile(owner, profileId);
        Assert.Null(untouched["persistingSessionId"]?.GetValue<string>());
        Assert.Equal(0, untouched["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task Two_persisting_sessions_on_one_profile_get_409_while_readers_may_use_it()
    {
        var tenant = await product.NewTenant(credits: 10);
        var profileId = await NewProfile(tenant, "shared");
        var writer = await StartWith(tenant, profileId, persist: true);
        Assert.Equal(writer.Id, (await Profile(tenant, profileId))["persistingSessionId"]!.GetValue<string>());

        var second = await tenant.Client.CreateSession(new { profile = new { id = profileId, persist = true } });
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("profile_in_use", (await second.Json())["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await tenant.Client.DeleteAsync($"/v1/profiles/{profileId}")).StatusCode);

        var reader = await StartWith(tenant, profileId, persist: false);
        await End(tenant, reader.Id);
        await End(tenant, writer.Id);

        // The writer's end gave the lease back: the next persisting session gets it.
        var next = await StartWith(tenant, profileId, persist: true);
        await End(tenant, next.Id);
        Assert.Equal(2, (await Profile(tenant, profileId))["version"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync($"/v1/profiles/{profileId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Client.GetAsync($"/v1/profiles/{profileId}")).StatusCode);
        Assert.Equal(7, await tenant.Client.Balance());
    }

    [Fact]
    public async Task A_save_while_the_profile_database_is_down_keeps_the_old_version_and_the_session_still_ends_and_bills()
    {
        var tenant = await product.NewTenant(credits: 10);
        var profileId = await NewProfile(tenant, "outage");
        using var playwright = await Playwright.CreateAsync();
        var first = await StartWith(tenant, profileId, persist: true);
        await Visit(playwright, first, "/login?user=bob");
        await End(tenant, first.Id);
        Assert.Equal(1, (await Profile(tenant, profileId))["version"]!.GetValue<long>());

        // The second session logs in as someone else, and its save meets a store that fails every write.
        var second = await StartWith(tenant, profileId, persist: true);
        await Visit(playwright, second, "/login?user=mallory");
        var saveFails = product.ProfileFaults.FailBefore(FaultSteps.ProfileSave, profileId);
        var ended = await tenant.Client.PostAsync($"/v1/sessions/{second.Id}/end", null);

        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal("ended", (await ended.Json())["status"]!.GetValue<string>());
        await saveFails.Reached.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(-1, (await tenant.Client.Ledger()).Where(e => e!["sessionId"]?.GetValue<string>() == second.Id).Sum(e => e!["amount"]!.GetValue<long>()));
        Assert.Equal(8, await tenant.Client.Balance());
        Assert.Equal(1, (await Profile(tenant, profileId))["version"]!.GetValue<long>());
        product.ProfileFaults.Clear();

        // The lease the failed save could not give back goes to the next session, since its holder has ended; the old login is there.
        var third = await StartWith(tenant, profileId, persist: true);
        Assert.Equal("bob", await Visit(playwright, third, "/whoami"));
        await End(tenant, third.Id);
    }

    [Fact]
    public async Task A_state_over_the_plans_size_is_not_saved_the_profile_says_profile_too_large_and_the_old_login_stays()
    {
        var tenant = await product.NewTenant(credits: 10);
        var profileId = await NewProfile(tenant, "too large");
        using var playwright = await Playwright.CreateAsync();
        var first = await StartWith(tenant, profileId, persist: true);
        await Visit(playwright, first, "/login?user=carol");
        await End(tenant, first.Id);

        var second = await StartWith(tenant, profileId, persist: true);
        await using (var browser = await playwright.Chromium.ConnectOverCDPAsync(second.ConnectUrl))
        {
            var page = await browser.Contexts[0].NewPageAsync();
            await page.GotoAsync(product.SiteUrl + "/login?user=dave");
            await page.EvaluateAsync($"() => localStorage.setItem('blob', 'x'.repeat({ChromiumProductFixture.MaxProfileBytes}))");
        }

        await End(tenant, second.Id);
        var profile = await Profile(tenant, profileId);
        Assert.Equal(1, profile["version"]!.GetValue<long>());
        Assert.Null(profile["persistingSessionId"]?.GetValue<string>());
        var lastSave = profile["lastSave"]!;
        Assert.Equal(second.Id, lastSave["sessionId"]!.GetValue<string>());
        Assert.False(lastSave["saved"]!.GetValue<bool>());
        Assert.Equal("profile_too_large", lastSave["code"]!.GetValue<string>());
        Assert.True(lastSave["sizeBytes"]!.GetValue<long>() > ChromiumProductFixture.MaxProfileBytes);

        // The refused save kept the first session's state: carol, not dave.
        var third = await StartWith(tenant, profileId, persist: false);
        Assert.Equal("carol", await Visit(playwright, third, "/whoami"));
        await End(tenant, third.Id);
        Assert.Equal(7, await tenant.Client.Balance());
    }

    private async Task<string> Visit(IPlaywright playwright, StartedSession session, string path)
    {
        await using var browser = await playwright.Chromium.ConnectOverCDPAsync(session.ConnectUrl);
        var page = await browser.Contexts[0].NewPageAsync();
        await page.GotoAsync(product.SiteUrl + path);
        var user = path == "/whoami" ? await page.InnerTextAsync("#server-user") : "";
        await page.CloseAsync();
        return user;
    }

    private async Task<StartedSession> StartWith(TestTenant tenant, string profileId, bool persist)
    {
        var created = await tenant.Client.CreateSession(new { profile = new { id = profileId, persist } });
        var body = await created.Json();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        var id = body["id"]!.GetValue<string>();
        var pod = await product.Grains.GetGrain<UFBrowsers.Sessions.ISessionGrain>(id).GetPod();
        return new StartedSession(id, body["connectUrl"]!.GetValue<string>(), pod!.PodId);
    }

    private static async Task End(TestTenant tenant, string sessionId)
    {
        var ended = await tenant.Client.PostAsync($"/v1/sessions/{sessionId}/end", null);
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
    }

    private static async Task<string> NewProfile(TestTenant tenant, string name)
    {
        var created = await tenant.Client.PostAsJsonAsync("/v1/profiles", new { name });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Json())["id"]!.GetValue<string>();
    }

    private static async Task<JsonNode> Profile(TestTenant tenant, string profileId)
    {
        var response = await tenant.Client.GetAsync($"/v1/profiles/{profileId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Json();
    }

    private sealed record StartedSession(string Id, string ConnectUrl, string PodId);
}
