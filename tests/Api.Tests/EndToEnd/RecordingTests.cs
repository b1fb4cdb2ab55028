using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using UFBrowsers.Api.Tests.Infrastructure;
using UFBrowsers.Grains.Recordings;
using UFBrowsers.Silo.Recordings;
using UFBrowsers.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace UFBrowsers.Api.Tests.EndToEnd;

/// <summary>Recordings in real Chromium: rrweb injected into a sandboxed pod's pages, stored, and replayed by the console's player.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class RecordingTests(ChromiumProductFixture product)
{
    [Fact]
    public async Task A_recorded_session_is_stored_as_it_runs_and_replays_in_the_console_with_the_pages_text()
    {
        var tenant = await product.NewTenant(credits: 10);
        using var playwright = await Playwright.CreateAsync();
        var created = await (await tenant.Client.CreateSession(new { recording = true })).Json();
        var sessionId = created["id"]!.GetValue<string>();
        var automation = await playwright.Chromium.ConnectOverCDPAsync(created["connectUrl"]!.GetValue<string>());
        var page = await automation.Contexts[0].NewPageAsync();
        await page.GotoAsync(product.SiteUrl + "/recorded");

        // Chunks are stored while the session runs.
        JsonNode? running = null;
        await Eventually.Until(async () =>
        {
            running = await (await tenant.Client.GetAsync($"/v1/sessions/{sessionId}/recording")).Json();
            return running["pages"]!.AsArray().Any(p => p!["events"]!.ToJsonString().Contains(ChromiumProductFixture.RecordedText, StringComparison.Ordinal));
        }, seconds: 30);
        Assert.Equal("recording", running!["status"]!.GetValue<string>());
        Assert.Contains(ChromiumProductFixture.RecordedText, running.ToJsonString(), StringComparison.Ordinal);

        // A change the automation makes afterwards is recorded as a mutation, and flushed by the end.
        await page.EvaluateAsync("() => { const li = document.createElement('li'); li.textContent = 'added by the automation'; document.getElementById('list').appendChild(li); }");
        await automation.CloseAsync();

        (await tenant.Client.PostAsync($"/v1/sessions/{sessionId}/end", null)).EnsureSuccessStatusCode();
        var recording = await (await tenant.Client.GetAsync($"/v1/sessions/{sessionId}/recording")).Json();
        Assert.Equal("complete", recording["status"]!.GetValue<string>());
        Assert.False(recording["truncated"]!.GetValue<bool>());
        Assert.True(recording["bytesStored"]!.GetValue<long>() > 0);
        Assert.True(recording["rawBytes"]!.GetValue<long>() > recording["bytesStored"]!.GetValue<long>(), "events are stored compressed");
        var recorded = recording["pages"]!.AsArray().Single(p => p!["events"]!.ToJsonString().Contains(ChromiumProductFixture.RecordedText, StringComparison.Ordinal))!;
        var events = recorded["events"]!.AsArray();
        Assert.Contains(events, e => e!["type"]!.GetValue<int>() == 2); // a full snapshot
        Assert.Contains(events, e => e!["type"]!.GetValue<int>() == 3 && e.ToJsonString().Contains("added by the automation", StringComparison.Ordinal)); // the mutation
        Assert.Contains(events, e => e!["type"]!.GetValue<int>() == 5 && e["data"]!["tag"]!.GetValue<string>() == "ufb.navigation"
                                     && e["data"]!["payload"]!["url"]!.GetValue<string>() == product.SiteUrl + "/recorded");

        // The console's session page replays it.
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox"] });
        var console = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1400 } });
        var errors = new List<string>();
        console.PageError += (_, error) => errors.Add(error);
        await console.GotoAsync(product.ApiUrl + "/app/");
        await console.FillAsync("#api-key", tenant.ApiKey);
        await console.ClickAsync("#sign-in button[type=submit]");
        await Expect(console.Locator("#balance")).ToBeVisibleAsync();
        await console.GotoAsync($"{product.ApiUrl}/app/session.html?id={sessionId}");
        await Expect(console.Locator("#status")).ToHaveTextAsync("ended");
        await Expect(console.Locator("#timeline tr[data-type='navigated']").First).ToBeVisibleAsync();
        await Expect(console.Locator("#timeline tr[data-type='ended']")).ToHaveCountAsync(1);
        await Expect(console.Locator(".replayer-wrapper iframe")).ToHaveCountAsync(1);

        await console.Locator(".rr-controller__btns button").First.ClickAsync();
        string? replayed = null;
        await Eventually.Until(async () =>
            (replayed = await console.EvaluateAsync<string?>("() => document.querySelector('.replayer-wrapper iframe')?.contentDocument?.body?.innerText")) is { } text
            && text.Contains(ChromiumProductFixture.RecordedText, StringComparison.Ordinal)
            && text.Contains("added by the automation", StringComparison.Ordinal), seconds: 30);
        Assert.Contains(ChromiumProductFixture.RecordedText, replayed);
        Assert.Contains("added by the automation", replayed);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_session_without_recording_stores_nothing_and_its_pages_get_no_recorder()
    {
        var tenant = await product.NewTenant(credits: 10);
        using var playwright = await Playwright.CreateAsync();
        var created = await (await tenant.Client.CreateSession()).Json();
        var sessionId = created["id"]!.GetValue<string>();
        var automation = await playwright.Chromium.ConnectOverCDPAsync(created["connectUrl"]!.GetValue<string>());
        var page = await automation.Contexts[0].NewPageAsync();
        await page.GotoAsync(product.SiteUrl + "/recorded");
        Assert.Equal(ChromiumProductFixture.RecordedText, await page.InnerTextAsync("#headline"));
        var recorders = product.Services.GetRequiredService<SessionRecorders>();
        Assert.False(recorders.IsRecording(sessionId));
        await automation.CloseAsync();
        (await tenant.Client.PostAsync($"/v1/sessions/{sessionId}/end", null)).EnsureSuccessStatusCode();

        var response = await tenant.Client.GetAsync($"/v1/sessions/{sessionId}/recording");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("recording_not_found", (await response.Json())["code"]!.GetValue<string>());
        var store = product.Services.GetRequiredService<IRecordingStore>();
        Assert.Null(await store.GetAsync(sessionId, CancellationToken.None));
        Assert.Empty(await store.ReadChunksAsync(sessionId, CancellationToken.None));
    }

    [Fact]
    public async Task Another_tenant_cannot_read_a_recording()
    {
        var tenant = await product.NewTenant(credits: 10);
        var other = await product.NewTenant(credits: 10);
        var sessionId = (await (await tenant.Client.CreateSession(new { recording = true })).Json())["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.GetAsync($"/v1/sessions/{sessionId}/recording")).StatusCode);
        var foreign = await other.Client.GetAsync($"/v1/sessions/{sessionId}/recording");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal("not_found", (await foreign.Json())["code"]!.GetValue<string>());
        await tenant.Client.PostAsync($"/v1/sessions/{sessionId}/end", null);
    }
}
