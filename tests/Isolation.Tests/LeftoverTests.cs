using System.Text.Json;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Isolation.Tests;

/// <summary>A pod serves one session: the next pod shows nothing the last one's tenant left (tabs, cookies, storage, files).</summary>
[Collection(HostileTenantCollection.Name)]
public sealed class LeftoverTests(HostileTenantFixture target)
{
    [Fact]
    public async Task A_second_pod_sees_no_tab_cookie_storage_download_or_temporary_file_of_the_first()
    {
        var site = target.Network.PublicUrl + "/";
        var first = await target.SandboxedPod();
        await using (var page = await PodPage.OpenAsync(first))
        {
            Assert.Null(await page.NavigateAsync(site));
            Assert.Equal("set", await page.EvaluateAsync("document.cookie = 'tenant=alpha; max-age=3600'; localStorage.setItem('tenant', 'alpha'); 'set'"));
            await page.Browser.SendAsync("Target.createTarget", new { url = site + "?left-open" });
            await page.Browser.SendAsync("Browser.setDownloadBehavior", new { behavior = "allow", downloadPath = "/downloads" });
            await page.NavigateAsync(target.Network.PublicUrl + "/download?name=left.txt");
            await WaitForFile(page, "file:///downloads/left.txt");
            await page.Browser.SendAsync("Browser.setDownloadBehavior", new { behavior = "allow", downloadPath = "/tmp" });
            await page.NavigateAsync(target.Network.PublicUrl + "/download?name=left-in-tmp.txt");
            await WaitForFile(page, "file:///tmp/left-in-tmp.txt");

            // Control: the first pod itself has all of it.
            await using var again = await PodPage.OpenAsync(first);
            Assert.Null(await again.NavigateAsync(site));
            Assert.Equal("alpha|tenant=alpha", await again.EvaluateAsync("localStorage.getItem('tenant') + '|' + document.cookie"));
            Assert.True(Pages(await again.Browser.SendAsync("Target.getTargets")) >= 3);
            Assert.Null(await again.NavigateAsync("file:///downloads/left.txt"));
            Assert.Null(await again.NavigateAsync("file:///tmp/left-in-tmp.txt"));
        }

        await target.Sandboxed.DeleteAsync(first, CancellationToken.None);
        var second = await target.SandboxedPod();
        await using (var browser = await PodDevTools.BrowserAsync(second))
        {
            Assert.Equal(1, Pages(await browser.SendAsync("Target.getTargets")));
            Assert.Empty((await browser.SendAsync("Storage.getCookies")).GetProperty("cookies").EnumerateArray());
        }

        await using (var page = await PodPage.OpenAsync(second))
        {
            Assert.Null(await page.NavigateAsync(site));
            Assert.Equal("null|", await page.EvaluateAsync("localStorage.getItem('tenant') + '|' + document.cookie"));
            Assert.Equal("net::ERR_FILE_NOT_FOUND", await page.NavigateAsync("file:///downloads/left.txt"));
            Assert.Equal("net::ERR_FILE_NOT_FOUND", await page.NavigateAsync("file:///tmp/left-in-tmp.txt"));
        }

        Assert.False(Directory.Exists(Path.Combine(target.SandboxedPods, first.PodId)));
        await target.Sandboxed.DeleteAsync(second, CancellationToken.None);
    }

    private static int Pages(JsonElement targets) =>
        targets.GetProperty("targetInfos").EnumerateArray().Count(t => t.GetProperty("type").GetString() == "page");

    private static async Task WaitForFile(PodPage page, string url)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (await page.NavigateAsync(url) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{url} never appeared");
            await Task.Delay(100);
        }
    }
}
