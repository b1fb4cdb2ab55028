using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using UFBrowsers.Api.Tests.Infrastructure;
using UFBrowsers.Sessions;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Api.Tests.EndToEnd;

/// <summary>Downloads out of and uploads into real sandboxed Chromium, through the API.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class SessionFilesEndToEndTests(ChromiumProductFixture product)
{
    [Fact]
    public async Task A_download_a_page_starts_lands_in_the_sessions_downloads_whatever_path_the_client_asked_and_is_fetched_after_the_end()
    {
        var (tenant, id, url) = await NewSession();
        var evil = "/tmp/evil-" + Guid.NewGuid().ToString("N")[..8];
        await using (var cdp = await CdpSocket.Connect(url))
        {
            await cdp.Send("Browser.setDownloadBehavior", new { behavior = "allow", downloadPath = evil });
            var targetId = (await cdp.Send("Target.createTarget", new { url = "about:blank" }))["targetId"]!.GetValue<string>();
            var page = (await cdp.Send("Target.attachToTarget", new { targetId, flatten = true }))["sessionId"]!.GetValue<string>();
            await cdp.Send("Page.navigate", new { url = product.SiteUrl + "/generate" }, page);
            await Wait.Until(async () => await Evaluate(cdp, page, "location.href === 'about:blank' ? '' : document.readyState") == "complete", "the export page loaded");
            // What Puppeteer's page.click sends: a user's click on the page's link.
            foreach (var type in new[] { "mousePressed", "mouseReleased" })
            {
                await cdp.Send("Input.dispatchMouseEvent", new { type, x = 20, y = 20, button = "left", clickCount = 1 }, page);
            }

            await Wait.Until(async () => Names(await Downloads(tenant, id)).Contains("generated.csv"), "the page's own download is listed", TimeSpan.FromSeconds(30));
            await cdp.Send("Page.navigate", new { url = product.SiteUrl + "/download" }, page);

            // While the session runs, the list comes from its browser.
            JsonNode listing = new JsonObject();
            await Wait.Until(async () => Names(listing = await Downloads(tenant, id)).SetEquals(["generated.csv", "report.txt"]), "both downloads are listed", TimeSpan.FromSeconds(30));
            Assert.Equal("browser", listing["source"]!.GetValue<string>());
            Assert.Equal(ChromiumProductFixture.GeneratedContent, await Fetch(tenant, id, "generated.csv"));
        }

        Assert.False(Directory.Exists(evil) || File.Exists(evil), $"nothing may appear at {evil}");
        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.PostAsync($"/v1/sessions/{id}/end", null)).StatusCode);

        // After the end the pod and its directory are gone; the copies kept answer.
        var kept = await Downloads(tenant, id);
        Assert.Equal("stored", kept["source"]!.GetValue<string>());
        Assert.True(kept["retainedUntil"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddHours(23));
        var report = kept["data"]!.AsArray().Single(f => f!["name"]!.GetValue<string>() == "report.txt")!;
        Assert.Equal(Encoding.UTF8.GetByteCount(ChromiumProductFixture.DownloadContent), report["sizeBytes"]!.GetValue<long>());
        Assert.False(report["truncated"]!.GetValue<bool>());
        Assert.Equal(ChromiumProductFixture.DownloadContent, await Fetch(tenant, id, "report.txt"));
        Assert.Equal(ChromiumProductFixture.GeneratedContent, await Fetch(tenant, id, "generated.csv"));

        var stranger = await product.NewTenant(credits: 1);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/v1/sessions/{id}/downloads")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/v1/sessions/{id}/downloads/report.txt")).StatusCode);
    }

    [Fact]
    public async Task An_uploaded_file_reaches_a_file_input_and_the_page_reads_it()
    {
        var (tenant, id, url) = await NewSession();
        const string content = "name,amount\nwidgets,42\n";
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(content)), "file", "invoice.csv" } };
        var uploaded = await tenant.Client.PostAsync($"/v1/sessions/{id}/uploads", form);
        var body = await uploaded.Json();
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var path = body["path"]!.GetValue<string>();
        Assert.Matches("^/uploads/[0-9a-f]{16}/invoice\\.csv$", path);
        Assert.Equal(content.Length, body["sizeBytes"]!.GetValue<long>());

        await using var cdp = await CdpSocket.Connect(url);
        var targetId = (await cdp.Send("Target.createTarget", new { url = product.SiteUrl + "/upload" }))["targetId"]!.GetValue<string>();
        var page = (await cdp.Send("Target.attachToTarget", new { targetId, flatten = true }))["sessionId"]!.GetValue<string>();
        await Wait.Until(async () => await Evaluate(cdp, page, "location.href === 'about:blank' ? '' : document.readyState") == "complete", "the upload page loaded");
        var document = await cdp.Send("DOM.getDocument", new { }, page);
        var input = await cdp.Send("DOM.querySelector", new { nodeId = document["root"]!["nodeId"]!.GetValue<int>(), selector = "#file" }, page);
        // What Puppeteer's uploadFile sends: the path as the browser sees it.
        await cdp.Send("DOM.setFileInputFiles", new { files = new[] { path }, nodeId = input["nodeId"]!.GetValue<int>() }, page);

        await Wait.Until(async () => await Evaluate(cdp, page, "document.getElementById('read').textContent") == "invoice.csv:" + content,
            "the page read the uploaded file's contents", TimeSpan.FromSeconds(15));
        await tenant.Client.PostAsync($"/v1/sessions/{id}/end", null);
    }

    [Fact]
    public async Task Uploads_with_path_tricks_oversize_bodies_or_to_sessions_not_running_are_refused_and_write_nothing()
    {
        var (tenant, id, _) = await NewSession();
        var pod = (await product.Grains.GetGrain<ISessionGrain>(id).GetPod())!;
        var uploads = Path.Combine(product.PodsDirectory, pod.PodId, "uploads");

        foreach (var name in new[] { "../../etc/cron.d/x", "..", ".", "a/b", "a\\b", "evil\u202Etxt.exe", "nul\0.txt", new string('a', 256) })
        {
            using var form = new MultipartFormDataContent();
            var part = new ByteArrayContent("x"u8.ToArray());
            part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileNameStar = name };
            form.Add(part);
            var refused = await tenant.Client.PostAsync($"/v1/sessions/{id}/uploads", form);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("invalid_file_name", (await refused.Json())["code"]!.GetValue<string>());
        }

        var raw = await tenant.Client.PostAsync($"/v1/sessions/{id}/uploads?name=..%2F..%2Fprofile%2Fx", new ByteArrayContent("x"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, raw.StatusCode);

        var tooLarge = await tenant.Client.PostAsync($"/v1/sessions/{id}/uploads?name=big.bin", new ByteArrayContent(new byte[ChromiumProductFixture.MaxUploadBytes + 1]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("upload_too_large", (await tooLarge.Json())["code"]!.GetValue<string>());
        Assert.Empty(Directory.EnumerateFileSystemEntries(uploads));

        var stranger = await product.NewTenant(credits: 1);
        var foreign = await stranger.Client.PostAsync($"/v1/sessions/{id}/uploads?name=a.txt", new ByteArrayContent("x"u8.ToArray()));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(uploads));

        var exact = await tenant.Client.PostAsync($"/v1/sessions/{id}/uploads?name=fits.bin", new ByteArrayContent(new byte[ChromiumProductFixture.MaxUploadBytes]));
        Assert.Equal(HttpStatusCode.Created, exact.StatusCode);

        await tenant.Client.PostAsync($"/v1/sessions/{id}/end", null);
        var ended = await tenant.Client.PostAsync($"/v1/sessions/{id}/uploads?name=late.txt", new ByteArrayContent("x"u8.ToArray()));
        Assert.Equal(HttpStatusCode.Conflict, ended.StatusCode);
        Assert.Equal("session_ended", (await ended.Json())["code"]!.GetValue<string>());
    }

    // Dot segments ("/downloads/..") are resolved by HTTP itself before routing: such a request names the session, not a file.
    [Fact]
    public async Task A_download_of_a_client_that_never_chose_a_directory_lands_in_the_sessions_downloads_too()
    {
        var (tenant, id, url) = await NewSession();
        await using (var cdp = await CdpSocket.Connect(url))
        {
            var targetId = (await cdp.Send("Target.createTarget", new { url = "about:blank" }))["targetId"]!.GetValue<string>();
            var page = (await cdp.Send("Target.attachToTarget", new { targetId, flatten = true }))["sessionId"]!.GetValue<string>();
            await cdp.Send("Page.navigate", new { url = product.SiteUrl + "/download" }, page);
            await Wait.Until(async () => Names(await Downloads(tenant, id)).Contains("report.txt"), "the download is listed", TimeSpan.FromSeconds(30));
        }

        await tenant.Client.PostAsync($"/v1/sessions/{id}/end", null);
        Assert.Equal(ChromiumProductFixture.DownloadContent, await Fetch(tenant, id, "report.txt"));
    }

    [Theory]
    [InlineData("..%2F..%2Fprofile%2FDefault%2FCookies")]
    [InlineData("%2Fetc%2Fpasswd")]
    [InlineData("..%5C..%5Cpod.json")]
    [InlineData("report.txt.crdownload")]
    public async Task A_download_name_with_a_path_trick_never_reaches_a_file_outside_the_downloads(string name)
    {
        var (tenant, id, _) = await NewSession();
        var answer = await tenant.Client.GetAsync($"/v1/sessions/{id}/downloads/{name}");
        Assert.True(answer.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{name}: {answer.StatusCode}");
        Assert.NotEqual("application/octet-stream", answer.Content.Headers.ContentType?.MediaType);
        await tenant.Client.PostAsync($"/v1/sessions/{id}/end", null);
    }

    private async Task<(TestTenant Tenant, string Id, string ConnectUrl)> NewSession()
    {
        var tenant = await product.NewTenant(credits: 10);
        var session = await (await tenant.Client.CreateSession()).Json();
        return (tenant, session["id"]!.GetValue<string>(), session["connectUrl"]!.GetValue<string>());
    }

    private static async Task<JsonNode> Downloads(TestTenant tenant, string id)
    {
        var response = await tenant.Client.GetAsync($"/v1/sessions/{id}/downloads");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Json();
    }

    private static HashSet<string> Names(JsonNode listing) => listing["data"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToHashSet();

    private static async Task<string> Fetch(TestTenant tenant, string id, string name)
    {
        var response = await tenant.Client.GetAsync($"/v1/sessions/{id}/downloads/{Uri.EscapeDataString(name)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        return Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
    }

    private static async Task<string?> Evaluate(CdpSocket cdp, string session, string expression) =>
        (await cdp.Send("Runtime.evaluate", new { expression, returnByValue = true }, session))["result"]!["value"]?.ToString();
}
