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
using Microsoft.AspNetCore.TestHost;
using UFBrowsers.Api.Tests.Infrastructure;
using UFBrowsers.Grains.Profiles;
using UFBrowsers.Silo.Persistence.Memory;
using UFBrowsers.TestSupport;
using UFBrowsers.TestSupport.Faults;

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

    /// <summary>What the test site's <c>/generate</c> page makes in its script and offers as <c>generated.csv</c> (a click downloads it).</summary>
    public const string GeneratedContent = "id,name\n1,généré par la page\n";

    // The test site's logins: the HttpOnly cookie's value (a random token) -> the user it signed in.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _logins = new();

    /// <summary>The largest upload this product takes (small, so the test of one too large is cheap).</summary>
    public const int MaxUploadBytes = 256 * 1024;

    /// <summary>The largest saved profile state of this product's plan (small, so a state over it is cheap to make).</summary>
    public const int MaxProfileBytes = 64 * 1024;

    /// <summary>Faults at the profile store's lease and save writes (the store itself is the product's memory store).</summary>
    public FaultPlan ProfileFaults { get; } = new();

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
        builder.UseSetting("UFBrowsers:Billing:Plans:professional:MaxProfileBytes", MaxProfileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("UFBrowsers:Sessions:Files:MaxUploadBytes", MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureTestServices(services =>
            services.AddSingleton<IProfileStore>(new FaultInjectingProfileStore(new InMemoryProfileStore(), ProfileFaults, "e2e")));
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
            // A login as sites do it: an HttpOnly session cookie the page's scripts cannot see, and the user in localStorage.
            site.MapGet("/login", (HttpResponse response, string user) =>
            {
                var token = Guid.NewGuid().ToString("N");
                _logins[token] = user;
                response.Cookies.Append("sid", token, new CookieOptions { HttpOnly = true, Path = "/" });
                response.Cookies.Append("theme", "dark", new CookieOptions { Path = "/", MaxAge = TimeSpan.FromDays(30) });
                return Results.Content(
                    $"<!doctype html><title>signed in</title><p id='state'>signed in</p><script>localStorage.setItem('user', {System.Text.Json.JsonSerializer.Serialize(user)})</script>",
                    "text/html");
            });
            // Who the server sees (from the HttpOnly cookie) and who the page's localStorage says.
            site.MapGet("/whoami", (HttpRequest request) =>
            {
                var server = request.Cookies.TryGetValue("sid", out var token) && _logins.TryGetValue(token, out var user) ? user : "nobody";
                return Results.Content(
                    $"<!doctype html><title>whoami</title><p id='server-user'>{server}</p><p id='local-user'></p>" +
                    "<script>document.getElementById('local-user').textContent = localStorage.getItem('user') ?? 'nobody'</script>",
                    "text/html");
            });
            // A page whose script makes a file and offers it as a link: a click (a user's gesture) downloads it.
            site.MapGet("/generate", () => Results.Content(
                "<!doctype html><title>export</title><body style='margin:0'>" +
                "<a id='export' style='display:block;width:200px;height:100px'>export</a><script>" +
                $"const a = document.getElementById('export'); a.href = URL.createObjectURL(new Blob([{System.Text.Json.JsonSerializer.Serialize(GeneratedContent)}], {{type: 'text/csv'}}));" +
                "a.download = 'generated.csv';</script>",
                "text/html"));
            // A file input whose page reads the chosen file, as an upload form does before sending it.
            site.MapGet("/upload", () => Results.Content(
                "<!doctype html><title>upload</title><input type='file' id='file'><pre id='read'></pre><script>" +
                "document.getElementById('file').addEventListener('change', async e => { const f = e.target.files[0]; " +
                "document.getElementById('read').textContent = f.name + ':' + await f.text(); });</script>",
                "text/html"));
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
