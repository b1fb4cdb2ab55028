using Microsoft.Playwright;
using UFBrowsers.Api.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace UFBrowsers.Api.Tests.Observability;

/// <summary>The console in real headless Chromium (Debian's), against the API on a real port.</summary>
public sealed class CustomerConsoleTests(KestrelApiFixture api, ITestOutputHelper output) : IClassFixture<KestrelApiFixture>
{
    [Fact]
    public async Task A_customer_signs_in_sees_a_session_appear_live_ends_it_and_sees_the_ledger_row()
    {
        var tenant = await api.NewTenant(credits: 50);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1500 } });

        await page.GotoAsync(api.BaseUrl + "/app/");
        await page.FillAsync("#api-key", tenant.ApiKey);
        await page.ClickAsync("#sign-in button[type=submit]");
        await Expect(page.Locator("#balance")).ToHaveTextAsync("50");
        await Expect(page.Locator("#plan")).ToHaveTextAsync("professional");
        await Expect(page.Locator("#live")).ToHaveTextAsync("live");
        await Expect(page.Locator("#usage rect")).ToHaveCountAsync(30);
        await Expect(page.Locator("#keys tbody tr")).ToHaveCountAsync(1);
        // Survives only if the page is never reloaded.
        await page.EvaluateAsync("() => window.notReloaded = true");

        var session = await (await tenant.Client.CreateSession()).Json();
        var sessionId = session["id"]!.GetValue<string>();
        var row = page.Locator($"#sessions tr[data-session-id='{sessionId}']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(page.Locator("#balance")).ToHaveTextAsync("49");

        await row.Locator("button.end-session").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        await Expect(page.Locator($"#ledger tr[data-session-id='{sessionId}']").First).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"));
        Assert.Equal("ended", (await (await tenant.Client.GetAsync($"/v1/sessions/{sessionId}")).Json())["status"]!.GetValue<string>());
        await Expect(page.Locator("#usage-total")).ToHaveTextAsync("1");

        var screenshot = Path.Combine(AppContext.BaseDirectory, "TestResults", "customer-console.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        output.WriteLine($"Screenshot: {screenshot}");
    }
}
