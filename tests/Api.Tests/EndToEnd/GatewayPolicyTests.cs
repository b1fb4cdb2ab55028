using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using PuppeteerSharp;
using UFBrowsers.Api.Gateway;
using UFBrowsers.Api.Gateway.Policy;
using UFBrowsers.Api.Tests.Infrastructure;
using UFBrowsers.Sessions;

namespace UFBrowsers.Api.Tests.EndToEnd;

/// <summary>The gateway's CDP policy against real Chromium, as a hostile tenant and as Puppeteer would use it.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class GatewayPolicyTests(ChromiumProductFixture product)
{
    [Fact]
    public async Task A_download_path_outside_the_session_lands_in_its_downloads_directory_only()
    {
        var (tenant, id, url) = await NewSession();
        var pod = (await product.Grains.GetGrain<ISessionGrain>(id).GetPod())!;
        var evil = "/tmp/evil-" + Guid.NewGuid().ToString("N")[..8];
        await using var cdp = await CdpSocket.Connect(url);

        // What Puppeteer sends for browser.setDownloadBehavior / page._client().send(...), with a path of the tenant's choosing.
        await cdp.Send("Browser.setDownloadBehavior", new { behavior = "allow", downloadPath = evil, eventsEnabled = true });
        var targetId = (await cdp.Send("Target.createTarget", new { url = "about:blank" }))["targetId"]!.GetValue<string>();
        var page = (await cdp.Send("Target.attachToTarget", new { targetId, flatten = true }))["sessionId"]!.GetValue<string>();
        await cdp.Send("Page.navigate", new { url = product.SiteUrl + "/download" }, page);

        // The browser sees its downloads directory inside its sandbox; on this machine it is the pod directory's downloads/.
        Assert.Equal("/downloads", pod.DownloadsDirectory);
        var downloads = Path.Combine(product.PodsDirectory, pod.PodId, "downloads");
        var landed = Path.Combine(downloads, "report.txt");
        await Until(() => Task.FromResult(File.Exists(landed) && File.ReadAllText(landed) == ChromiumProductFixture.DownloadContent), TimeSpan.FromSeconds(30));
        Assert.False(Directory.Exists(evil) || File.Exists(evil), $"nothing may appear at {evil}");
        Assert.Equal(["report.txt"], Directory.GetFiles(downloads).Select(Path.GetFileName));
        await tenant.Client.PostAsync($"/v1/sessions/{id}/end", null);
    }

    [Theory]
    [InlineData("Tethering.bind")]
    [InlineData("Target.setRemoteLocations")]
    [InlineData("Target.exposeDevToolsProtocol")]
    [InlineData("Extensions.loadUnpacked")]
    public async Task A_refused_method_gets_a_CDP_error_and_the_connection_stays_usable(string method)
    {
        var (tenant, id, url) = await NewSession();
        var port = FreePort();
        await using var cdp = await CdpSocket.Connect(url);
        var targetId = (await cdp.Send("Target.createTarget", new { url = "about:blank" }))["targetId"]!.GetValue<string>();

        var answer = await cdp.Call(method, new { port, path = "/", targetId, locations = new[] { new { host = "127.0.0.1", port } } });

        Assert.Null(answer["result"]);
        Assert.Equal(CdpReplies.RefusedCode, answer["error"]!["code"]!.GetValue<int>());
        Assert.StartsWith($"{method} is refused by the UFBrowsers gateway: ", answer["error"]!["message"]!.GetValue<string>());
        Assert.False(await Listens(port), $"nothing may listen on port {port}");
        Assert.Contains("Chrome", (await cdp.Send("Browser.getVersion"))["product"]!.GetValue<string>());
        await tenant.Client.PostAsync($"/v1/sessions/{id}/end", null);
    }

    [Fact]
    public async Task A_clients_Browser_close_is_answered_then_ends_the_session_as_browser_closed_and_bills_it()
    {
        var (tenant, id, url) = await NewSession();
        var pod = (await product.Grains.GetGrain<ISessionGrain>(id).GetPod())!;
        await using var cdp = await CdpSocket.Connect(url);
        await cdp.Send("Browser.getVersion");

        var answer = await cdp.Call("Browser.close");
        var (status, description) = await cdp.WaitForClose(TimeSpan.FromSeconds(15));

        Assert.NotNull(answer["result"]);
        Assert.Equal(((WebSocketCloseStatus)CloseCodes.BrowserClosed, "browser_closed"), (status, description));
        var session = await (await tenant.Client.GetAsync($"/v1/sessions/{id}")).Json();
        Assert.Equal(("ended", "browser_closed", 1L), (session["status"]!.GetValue<string>(), session["endReason"]!.GetValue<string>(), session["creditsCharged"]!.GetValue<long>()));
        Assert.Equal(9, await tenant.Client.Balance());
        Assert.Equal(-1, (await tenant.Client.Ledger()).Where(e => e!["sessionId"]?.GetValue<string>() == id).Sum(e => e!["amount"]!.GetValue<long>()));
        await Until(async () => !await Listens(new Uri(pod.CdpHttpUrl).Port), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task A_policed_command_too_large_to_hold_back_closes_with_1008_before_the_browser_runs_it()
    {
        var (tenant, id, url) = await NewSession();
        var padded = $$$"""{"id":1,"method":"Browser.close","params":{"padding":"{{{new string('x', 200_000)}}}"}}""";

        await using (var raw = await RawGatewaySocket.Connect(url))
        {
            await raw.WebSocket.SendAsync(Encoding.UTF8.GetBytes(padded), WebSocketMessageType.Text, true, CancellationToken.None);
            var (_, _, status, description) = await raw.ReadToClose(TimeSpan.FromSeconds(15));
            Assert.Equal((WebSocketCloseStatus.PolicyViolation, "policy_violation"), (status, description));
        }

        // Chromium would have closed itself had it received the whole command: the session and its browser are still there.
        await using var cdp = await CdpSocket.Connect(url);
        Assert.Contains("Chrome", (await cdp.Send("Browser.getVersion"))["product"]!.GetValue<string>());
        Assert.Equal("active", (await (await tenant.Client.GetAsync($"/v1/sessions/{id}")).Json())["status"]!.GetValue<string>());
        await tenant.Client.PostAsync($"/v1/sessions/{id}/end", null);
    }

    [Fact]
    public async Task Puppeteer_drives_a_page_and_its_browser_close_resolves_and_ends_the_session()
    {
        var (tenant, id, url) = await NewSession();

        var browser = await Puppeteer.ConnectAsync(new ConnectOptions { BrowserWSEndpoint = url, ProtocolTimeout = 30_000 });
        var page = await browser.NewPageAsync();
        await page.GoToAsync(product.SiteUrl + "/");
        Assert.Equal("UFBrowsers test page", await page.GetTitleAsync());
        await browser.CloseAsync().WaitAsync(TimeSpan.FromSeconds(30));

        await Until(async () => (await (await tenant.Client.GetAsync($"/v1/sessions/{id}")).Json())["status"]!.GetValue<string>() == "ended", TimeSpan.FromSeconds(15));
        var session = await (await tenant.Client.GetAsync($"/v1/sessions/{id}")).Json();
        Assert.Equal(("browser_closed", 1L), (session["endReason"]!.GetValue<string>(), session["creditsCharged"]!.GetValue<long>()));
    }

    private async Task<(TestTenant Tenant, string Id, string ConnectUrl)> NewSession()
    {
        var tenant = await product.NewTenant(credits: 10);
        var session = await (await tenant.Client.CreateSession()).Json();
        return (tenant, session["id"]!.GetValue<string>(), session["connectUrl"]!.GetValue<string>());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> Listens(int port)
    {
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task Until(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < timeout, "condition not reached in time");
            await Task.Delay(100);
        }
    }
}
