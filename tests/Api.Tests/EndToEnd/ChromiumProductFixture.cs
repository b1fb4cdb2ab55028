using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using UFBrowsers.Api.Tests.Infrastructure;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Api.Tests.EndToEnd;

/// <summary>
/// The product as it runs on a laptop: API (on Kestrel, a real loopback port, so that real WebSocket clients reach
/// the gateway), silo and the local Chromium provider with real sandboxed browsers, plus a small web site for the
/// browsers to visit. The site is on an <see cref="ExternalNetwork"/>, because a sandboxed browser cannot reach this
/// machine's loopback (nor any of its addresses), only the outside.
/// </summary>
public sealed class ChromiumProductFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public ChromiumProductFixture() => UseKestrel(0);

    private readonly string _podsDirectory = Path.Combine(Path.GetTempPath(), "ufb-e2e-pods-" + Guid.NewGuid().ToString("N")[..8]);
    private ExternalNetwork? _site;

    /// <summary>What the test site's <c>/download</c> serves as an attachment (<c>report.txt</c>).</summary>
    public const string DownloadContent = "quarterly numbers, for the session's downloads directory only";

    /// <summary>What the test site's <c>/recorded</c> page says, for the replay to show.</summary>
    public const string RecordedText = "Forty-two lanterns over the harbour";

    public string SiteUrl { get; private set; } = "";

    public string PodsDirectory => _podsDirectory;

    /// <summary>The API's own address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string ApiUrl { get; private set; } = "";

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("UFBrowsers:Silo:SiloPort", FreePort.Next().ToString());
        builder.UseSetting("UFBrowsers:Silo:GatewayPort", FreePort.Next().ToString());
        builder.UseSetting("UFBrowsers:Silo:PodProvider", "LocalChromium");
        builder.UseSetting("UFBrowsers:LocalChromium:PodsDirectory", _podsDirectory);
        builder.UseSetting("UFBrowsers:Pods:NodePools:default:WarmTarget", "1");
        builder.UseSetting("UFBrowsers:Operator:Token", ApiFactory.OperatorToken);
    }

    public async Task<TestTenant> NewTenant(long credits)
    {
        var op = CreateClient();
        op.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiFactory.OperatorToken);
        var id = "e2e-" + Guid.NewGuid().ToString("N")[..10];
        var created = await op.PostAsJsonAsync("/admin/customers", new { id, name = "E2E", plan = "professional" });
        created.EnsureSuccessStatusCode();
        var key = (await created.Content.ReadFromJsonAsync<JsonNode>())!["apiKey"]!["key"]!.GetValue<string>();
        (await op.PutAsJsonAsync($"/admin/customers/{id}/subscription", new { status = "active", tenantProvisioned = true })).EnsureSuccessStatusCode();
        using var grant = new HttpRequestMessage(HttpMethod.Post, $"/admin/customers/{id}/credits") { Content = JsonContent.Create(new { amount = credits, reason = "e2e grant" }) };
        grant.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        (await op.SendAsync(grant)).EnsureSuccessStatusCode();

        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return new TestTenant(id, key, client);
    }

    public async Task InitializeAsync()
    {
        _site = await ExternalNetwork.StartAsync(site =>
        {
            site.MapGet("/", () => Results.Content(
                "<!doctype html><html><head><title>UFBrowsers test page</title></head><body><h1 id='greeting'>Hello from the test site</h1></body></html>",
                "text/html"));
            site.MapGet("/set-cookie", (HttpResponse response) =>
            {
                response.Cookies.Append("tenant_secret", "first-tenant");
                return Results.Content("<html><body>cookie set</body></html>", "text/html");
            });
            // Live view: one button covering the whole viewport, counting its clicks (and where they landed).
            site.MapGet("/button", () => Results.Content(
                "<!doctype html><html><head><title>Button</title><style>html,body{margin:0;height:100%}#target{width:100vw;height:100vh;border:0;background:#fff;font-size:40px}</style></head>" +
                "<body><button id='target' onclick=\"window.clicks=(window.clicks||0)+1;this.textContent='clicked '+window.clicks\">Click me</button><input id='field' style='position:fixed;top:0;left:0'></body></html>",
                "text/html"));
            // Recordings: a page whose text the replay must show.
            site.MapGet("/recorded", () => Results.Content(
                "<!doctype html><html><head><title>Recorded page</title></head><body><h1 id='headline'>" + RecordedText + "</h1>" +
                "<ul id='list'></ul><script>for(let i=0;i<5;i++){const li=document.createElement('li');li.textContent='item '+i;document.getElementById('list').appendChild(li);}</script></body></html>",
                "text/html"));
            site.MapGet("/download", (HttpResponse response) =>
            {
                response.Headers.ContentDisposition = "attachment; filename=\"report.txt\"";
                return Results.Text(DownloadContent, "application/octet-stream");
            });
        });
        SiteUrl = _site.PublicUrl;
        StartServer();
        ApiUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    public HttpClient Anonymous() => CreateClient();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (_site is not null)
        {
            await _site.DisposeAsync();
        }

        if (Directory.Exists(_podsDirectory))
        {
            Directory.Delete(_podsDirectory, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ChromiumCollection : ICollectionFixture<ChromiumProductFixture>
{
    public const string Name = "chromium";
}
