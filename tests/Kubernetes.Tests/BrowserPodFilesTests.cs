using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using UFBrowsers.Customers;
using UFBrowsers.Grains.Files;
using UFBrowsers.Kubernetes.Tests.Infrastructure;
using UFBrowsers.Pods;
using UFBrowsers.Profiles;
using UFBrowsers.Sessions;
using UFBrowsers.Silo.Browsers;
using UFBrowsers.Silo.Kubernetes;

namespace UFBrowsers.Kubernetes.Tests;

/// <summary>
/// The Kubernetes transport of session files and profiles against what runs here: the browser image's entrypoint as a plain
/// process (real Chromium, its DevTools bridge, its file endpoint) and the fake API server, which reports every pod at
/// that process's address.
/// </summary>
[Collection(BrowserPodClusterCollection.Name)]
public sealed class BrowserPodFilesTests(BrowserPodClusterFixture fixture)
{
    private BrowserPodProcess Pod => fixture.Pod;

    [Fact]
    public async Task An_upload_through_the_file_endpoint_lands_in_the_pods_uploads_and_the_real_browser_reads_it_from_a_file_input()
    {
        var lease = await Lease();
        const string content = "Betrag;Währung\n42;EUR\n";
        var bytes = Encoding.UTF8.GetBytes(content);

        var path = await Files().PutUploadAsync(lease, "Überweisung 2026.csv", new MemoryStream(bytes), bytes.Length, 10_000, CancellationToken.None);

        Assert.Matches($"^{Pod.Uploads}/[0-9a-f]{{16}}/Überweisung 2026\\.csv$", path);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
        await using var cdp = await CdpClient.ConnectAsync(lease, CancellationToken.None);
        var page = await OpenPage(cdp, "data:text/html,<input type=file id=f><pre id=r></pre><script>f.onchange=async()=>r.textContent=f.files[0].name+':'+await f.files[0].text()</script>");
        var document = await cdp.SendAsync("DOM.getDocument", new { }, page);
        var input = await cdp.SendAsync("DOM.querySelector", new { nodeId = document.GetProperty("root").GetProperty("nodeId").GetInt32(), selector = "#f" }, page);
        await cdp.SendAsync("DOM.setFileInputFiles", new { files = new[] { path }, nodeId = input.GetProperty("nodeId").GetInt32() }, page);
        await Eventually.True(async () => await Evaluate(cdp, page, "r.textContent") == "Überweisung 2026.csv:" + content, TimeSpan.FromSeconds(15),
            "the page read the uploaded file");
    }

    [Fact]
    public async Task Downloads_are_listed_and_read_through_the_file_endpoint_and_partials_links_and_folders_never_are()
    {
        var lease = await Lease();
        Directory.CreateDirectory(Pod.Downloads);
        await using var cdp = await CdpClient.ConnectAsync(lease, CancellationToken.None);
        await cdp.SendAsync("Browser.setDownloadBehavior", new { behavior = "allow", downloadPath = Pod.Downloads });
        var page = await OpenPage(cdp, fixture.SiteUrl + "/export");
        foreach (var type in new[] { "mousePressed", "mouseReleased" })
        {
            await cdp.SendAsync("Input.dispatchMouseEvent", new { type, x = 20, y = 20, button = "left", clickCount = 1 }, page);
        }

        var secret = Path.Combine(Pod.Root, "secret.txt");
        await File.WriteAllTextAsync(secret, "not a download");
        File.CreateSymbolicLink(Path.Combine(Pod.Downloads, "leak.txt"), secret);
        await File.WriteAllTextAsync(Path.Combine(Pod.Downloads, "big.iso.crdownload"), "half");
        Directory.CreateDirectory(Path.Combine(Pod.Downloads, "folder"));
        await File.WriteAllTextAsync(Path.Combine(Pod.Downloads, "line\nbreak.txt"), "odd");
        var files = Files();

        IReadOnlyList<PodFile> listed = [];
        await Eventually.True(async () => (listed = await files.ListDownloadsAsync(lease, CancellationToken.None)).Any(f => f.Name == "résultat.csv"),
            TimeSpan.FromSeconds(15), "the browser's download is listed");
        Assert.DoesNotContain(listed, f => f.Name is "leak.txt" or "big.iso.crdownload" or "folder" or "line\nbreak.txt" or "big.iso");
        Assert.Equal(Encoding.UTF8.GetByteCount("résultat 1,2,3"), listed.Single(f => f.Name == "résultat.csv").SizeBytes);
        await using (var content = await files.OpenDownloadAsync(lease, "résultat.csv", CancellationToken.None))
        {
            Assert.NotNull(content);
            Assert.Equal("résultat 1,2,3", await new StreamReader(content.Content).ReadToEndAsync());
        }

        foreach (var name in new[] { "leak.txt", "big.iso.crdownload", "folder", "missing.txt" })
        {
            Assert.Null(await files.OpenDownloadAsync(lease, name, CancellationToken.None));
        }
    }

    [Theory]
    [InlineData("GET /downloads/2e2e HTTP/1.1", "400")]
    [InlineData("GET /downloads/2e HTTP/1.1", "400")]
    [InlineData("GET /downloads/2f6574632f686f73746e616d65 HTTP/1.1", "400")]
    [InlineData("GET /downloads/2e2e2f736563726574 HTTP/1.1", "400")]
    [InlineData("GET /downloads/6100 HTTP/1.1", "400")]
    [InlineData("GET /downloads/zz HTTP/1.1", "400")]
    [InlineData("GET /downloads/../secret.txt HTTP/1.1", "400")]
    [InlineData("PUT /uploads/2e2e2f7a HTTP/1.1\r\nContent-Length: 1", "400")]
    [InlineData("PUT /uploads/612e747874 HTTP/1.1", "411")]
    [InlineData("PUT /uploads/612e747874 HTTP/1.1\r\nUpload-Limit: 3\r\nContent-Length: 4", "413")]
    [InlineData("PUT /uploads/612e747874 HTTP/1.1\r\nUploads-Total-Limit: 0\r\nContent-Length: 1", "507")]
    [InlineData("DELETE /downloads HTTP/1.1", "404")]
    public async Task The_file_endpoint_itself_refuses_path_tricks_and_limits_and_writes_nothing(string request, string status)
    {
        var before = Directory.Exists(Pod.Uploads) ? Directory.GetFileSystemEntries(Pod.Uploads, "*", SearchOption.AllDirectories).Length : 0;
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Pod.FilesPort);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request + "\r\nHost: pod\r\n\r\n" + (request.Contains("Content-Length", StringComparison.Ordinal) ? "xxxx" : "")));
        client.Client.Shutdown(SocketShutdown.Send);
        var answer = await new StreamReader(stream).ReadToEndAsync();

        Assert.StartsWith($"HTTP/1.1 {status} ", answer, StringComparison.Ordinal);
        Assert.Equal(before, Directory.Exists(Pod.Uploads) ? Directory.GetFileSystemEntries(Pod.Uploads, "*", SearchOption.AllDirectories).Length : 0);
    }

    [Fact]
    public async Task Uploads_over_the_sessions_total_are_refused_by_the_pod_and_reported_as_such()
    {
        var lease = await Lease();
        await Assert.ThrowsAsync<UploadSpaceExhaustedException>(() =>
            Files().PutUploadAsync(lease, "too-much.bin", new MemoryStream(new byte[100]), 100, maxTotalBytes: 50, CancellationToken.None));
    }

    [Fact]
    public async Task A_session_on_Kubernetes_gets_its_profile_over_TCP_DevTools_and_keeps_its_downloads_after_it_ends()
    {
        var customer = fixture.Grains.GetGrain<ICustomerGrain>("k8s-" + Guid.NewGuid().ToString("N")[..8]);
        await customer.Create("Kubernetes tenant", "professional");
        await customer.ChangeSubscription(new SubscriptionChange(Status: SubscriptionStatus.Active, TenantProvisioned: true));
        await customer.AdjustCredits(10, "grant", "grant:" + Guid.NewGuid());
        // Its browser pods are made on demand in its namespace (the pool keeps no warm pods here).
        fixture.Api.Seed("namespaces", KubernetesPodProviderTests.Namespace((await customer.GetAccount())!.TenantNamespace));
        var customerId = customer.GetPrimaryKeyString();
        var profile = (await fixture.Grains.GetGrain<ICustomerProfilesGrain>(customerId).Create("k8s login")).Profile!.Id;

        var first = await Start(customerId, new ProfileUse(profile, Persist: true));
        await using (var cdp = await CdpClient.ConnectAsync(first.Pod, CancellationToken.None))
        {
            var page = await OpenPage(cdp, fixture.SiteUrl + "/login?user=kate");
            await Eventually.True(async () => await Evaluate(cdp, page, "localStorage.getItem('user')") == "kate", TimeSpan.FromSeconds(15), "logged in");
            await cdp.SendAsync("Target.closeTarget", new { targetId = page.TargetId });
        }

        await fixture.Grains.GetGrain<ISessionGrain>(first.Id).End(EndReason.Client);
        Assert.Equal(1, (await fixture.Grains.GetGrain<IProfileGrain>(profile).Get(customerId))!.Version);

        // Every pod here is the same browser: wipe it, as a new pod would be.
        await using (var cdp = await CdpClient.ConnectAsync(first.Pod, CancellationToken.None))
        {
            await cdp.SendAsync("Storage.clearCookies", new { });
            var page = await OpenPage(cdp, fixture.SiteUrl + "/whoami");
            await Evaluate(cdp, page, "localStorage.clear()");
            Assert.Equal("nobody", await Evaluate(cdp, page, "document.title"));
            Assert.Null(await Evaluate(cdp, page, "localStorage.getItem('user')"));
            await cdp.SendAsync("Target.closeTarget", new { targetId = page.TargetId });
        }

        var second = await Start(customerId, new ProfileUse(profile, Persist: false));
        await using (var cdp = await CdpClient.ConnectAsync(second.Pod, CancellationToken.None))
        {
            var page = await OpenPage(cdp, fixture.SiteUrl + "/whoami");
            Assert.Equal("kate", await Evaluate(cdp, page, "document.title"));
            Assert.Equal("kate", await Evaluate(cdp, page, "localStorage.getItem('user')"));
            await cdp.SendAsync("Target.closeTarget", new { targetId = page.TargetId });
        }

        Directory.CreateDirectory(Pod.Downloads);
        var name = "invoice-" + Guid.NewGuid().ToString("N")[..6] + ".pdf";
        await File.WriteAllTextAsync(Path.Combine(Pod.Downloads, name), "%PDF-1.7 kept after the pod");
        await fixture.Grains.GetGrain<ISessionGrain>(second.Id).End(EndReason.Client);

        var listing = (await fixture.Files.ListDownloadsAsync(customerId, second.Id, CancellationToken.None))!;
        Assert.False(listing.FromBrowser);
        Assert.Contains(listing.Files, f => f.Name == name && !f.Truncated);
        await using var kept = await fixture.Files.OpenDownloadAsync(customerId, second.Id, name, CancellationToken.None);
        Assert.Equal("%PDF-1.7 kept after the pod", await new StreamReader(kept!.Content).ReadToEndAsync());
    }

    private async Task<(string Id, PodLease Pod)> Start(string customerId, ProfileUse profile)
    {
        var id = SessionIds.New();
        var started = await fixture.Grains.GetGrain<ISessionGrain>(id).Start(new SessionRequest(customerId, Profile: profile));
        Assert.Equal(SessionStartOutcome.Started, started.Outcome);
        return (id, (await fixture.Grains.GetGrain<ISessionGrain>(id).GetPod())!);
    }

    private KubernetesPodFiles Files() =>
        new(Options.Create(new KubernetesPodOptions { FilesPort = Pod.FilesPort, UploadsDirectory = Pod.Uploads }));

    private async Task<PodLease> Lease()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var path = await Pod.BrowserPathAsync(http);
        return new PodLease("ufb-pool/ufb-test", "default", $"ws://127.0.0.1:{Pod.CdpPort}{path}", Pod.CdpHttpUrl, DownloadsDirectory: Pod.Downloads);
    }

    private static async Task<PageSession> OpenPage(CdpClient cdp, string url)
    {
        var targetId = (await cdp.SendAsync("Target.createTarget", new { url })).GetProperty("targetId").GetString()!;
        var session = (await cdp.SendAsync("Target.attachToTarget", new { targetId, flatten = true })).GetProperty("sessionId").GetString()!;
        var page = new PageSession(targetId, session);
        // The new target shows about:blank (already complete) until the navigation commits.
        await Eventually.True(async () => await Evaluate(cdp, page, "location.href === 'about:blank' ? '' : document.readyState") == "complete",
            TimeSpan.FromSeconds(15), "the page loaded");
        return page;
    }

    private static async Task<string?> Evaluate(CdpClient cdp, PageSession page, string expression)
    {
        var result = await cdp.SendAsync("Runtime.evaluate", new { expression, returnByValue = true }, page.SessionId);
        return result.GetProperty("result").TryGetProperty("value", out var value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : null;
    }

    private sealed record PageSession(string TargetId, string SessionId)
    {
        public static implicit operator string(PageSession page) => page.SessionId;
    }
}
