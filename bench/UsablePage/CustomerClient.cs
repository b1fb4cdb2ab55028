using Microsoft.Playwright;

namespace UFBrowsers.Bench.UsablePage;

/// <summary>
/// What a customer's script does with a new browser, with Playwright: connect over CDP, a new page in the default context, a
/// first evaluate; then, after the session's length, close the browser and end the session.
/// </summary>
internal sealed class CustomerClient(IPlaywright playwright)
{
    public async Task<StepTimes> RunAsync(IPageSource source, TimeSpan length, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        var handout = await source.OpenAsync(cancellationToken);
        try
        {
            var connecting = TimeProvider.System.GetTimestamp();
            var browser = await playwright.Chromium.ConnectOverCDPAsync(handout.ConnectUrl, new BrowserTypeConnectOverCDPOptions { Timeout = 60_000 });
            var connected = TimeProvider.System.GetTimestamp();
            var page = await browser.Contexts[0].NewPageAsync();
            var opened = TimeProvider.System.GetTimestamp();
            var two = await page.EvaluateAsync<int>("() => 1 + 1");
            var evaluated = TimeProvider.System.GetTimestamp();
            if (two != 2)
            {
                throw new InvalidOperationException($"The page evaluated 1 + 1 to {two}.");
            }

            var left = length - TimeProvider.System.GetElapsedTime(started);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left, cancellationToken);
            }

            await browser.CloseAsync();
            return new StepTimes(
                handout.Create,
                TimeProvider.System.GetElapsedTime(connecting, connected),
                TimeProvider.System.GetElapsedTime(connected, opened),
                TimeProvider.System.GetElapsedTime(opened, evaluated),
                handout.CreateIsCustomerTime);
        }
        finally
        {
            await handout.EndAsync();
        }
    }
}
