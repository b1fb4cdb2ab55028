using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using UFBrowsers.Api.Tests.Infrastructure;
using UFBrowsers.Grains.Files;
using UFBrowsers.Sessions;
using static Microsoft.Playwright.Assertions;

namespace UFBrowsers.Api.Tests.Observability;

/// <summary>The console's profiles and session downloads, in real headless Chromium against the API on a real port.</summary>
public sealed class ConsoleFilesTests(KestrelApiFixture api) : IClassFixture<KestrelApiFixture>
{
    [Fact]
    public async Task A_customer_creates_and_deletes_a_profile_and_fetches_an_ended_sessions_download_from_the_console()
    {
        var tenant = await api.NewTenant(credits: 10);
        var session = await (await tenant.Client.CreateSession()).Json();
        var sessionId = session["id"]!.GetValue<string>();
        await tenant.Client.PostAsync($"/v1/sessions/{sessionId}/end", null);
        // What the downloads hook keeps of a session's real browser (here the pods are fakes without files).
        var store = api.Services.GetRequiredService<ISessionFileStore>();
        var now = DateTimeOffset.UtcNow;
        var content = Encoding.UTF8.GetBytes("quarterly,42\n");
        await store.RegisterAsync([new StoredDownload(sessionId, tenant.Id, "quarterly report.csv", content.Length, 0, true, now, now.AddHours(24))], CancellationToken.None);
        await store.WriteContentAsync(sessionId, "quarterly report.csv", new MemoryStream(content), content.Length, CancellationToken.None);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox"] });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true });
        var page = await context.NewPageAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GotoAsync(api.BaseUrl + "/app/");
        await page.FillAsync("#api-key", tenant.ApiKey);
        await page.ClickAsync("#sign-in button[type=submit]");
        await Expect(page.Locator("#no-profiles")).ToBeVisibleAsync();

        await page.FillAsync("#new-profile-name", "shop login");
        await page.ClickAsync("#new-profile-form button[type=submit]");
        var row = page.Locator("#profiles tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("td").First).ToHaveTextAsync("shop login");
        var profileId = await row.GetAttributeAsync("data-profile-id");
        Assert.Equal(profileId, (await (await tenant.Client.GetAsync("/v1/profiles")).Json())["data"]![0]!["id"]!.GetValue<string>());

        await page.FillAsync("#downloads-session", sessionId);
        await page.ClickAsync("#downloads-form button[type=submit]");
        var file = page.Locator("#downloads tr[data-name='quarterly report.csv']");
        await Expect(file).ToBeVisibleAsync();
        await Expect(page.Locator("#downloads-status")).ToContainTextAsync("Kept until");
        var download = await page.RunAndWaitForDownloadAsync(() => file.Locator("a").ClickAsync());
        Assert.Equal("quarterly report.csv", download.SuggestedFilename);
        Assert.Equal("quarterly,42\n", await File.ReadAllTextAsync((await download.PathAsync())!));

        await row.Locator("button.delete-profile").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        Assert.Empty((await (await tenant.Client.GetAsync("/v1/profiles")).Json())["data"]!.AsArray());
    }
}
