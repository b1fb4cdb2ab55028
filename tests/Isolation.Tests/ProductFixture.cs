using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Isolation.Tests;

/// <summary>
/// The whole product as <c>run-local.sh</c> runs it (API on a real loopback port, silo, sandboxed local pods), with a
/// pod memory limit low enough for a test to exceed: where a hostile tenant is an ordinary customer with a connect URL.
/// </summary>
public sealed class ProductFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string OperatorToken = "isolation-operator-token-0123456789";
    public const int PodMemoryMebibytes = 768;

    private readonly string _podsDirectory = Path.Combine(Path.GetTempPath(), "ufb-iso-e2e-" + Guid.NewGuid().ToString("N")[..8]);

    public ProductFixture() => UseKestrel(0);

    public string ApiUrl { get; private set; } = "";

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("UFBrowsers:Silo:SiloPort", FreePort.Next().ToString());
        builder.UseSetting("UFBrowsers:Silo:GatewayPort", FreePort.Next().ToString());
        builder.UseSetting("UFBrowsers:Silo:PodProvider", "LocalChromium");
        builder.UseSetting("UFBrowsers:LocalChromium:PodsDirectory", _podsDirectory);
        builder.UseSetting("UFBrowsers:LocalChromium:Limits:MemoryMebibytes", PodMemoryMebibytes.ToString());
        builder.UseSetting("UFBrowsers:Pods:NodePools:default:WarmTarget", "1");
        builder.UseSetting("UFBrowsers:Operator:Token", OperatorToken);
    }

    public async Task InitializeAsync()
    {
        StartServer();
        ApiUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        await Task.CompletedTask;
    }

    /// <summary>A customer with an active subscription, credits and an API key; its client sends the key.</summary>
    public async Task<HttpClient> NewTenant(long credits)
    {
        var op = CreateClient();
        op.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorToken);
        var id = "iso-" + Guid.NewGuid().ToString("N")[..10];
        var created = await op.PostAsJsonAsync("/admin/customers", new { id, name = "Isolation", plan = "professional" });
        created.EnsureSuccessStatusCode();
        var key = (await created.Content.ReadFromJsonAsync<JsonNode>())!["apiKey"]!["key"]!.GetValue<string>();
        (await op.PutAsJsonAsync($"/admin/customers/{id}/subscription", new { status = "active", tenantProvisioned = true })).EnsureSuccessStatusCode();
        using var grant = new HttpRequestMessage(HttpMethod.Post, $"/admin/customers/{id}/credits") { Content = JsonContent.Create(new { amount = credits, reason = "isolation grant" }) };
        grant.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        (await op.SendAsync(grant)).EnsureSuccessStatusCode();

        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_podsDirectory))
        {
            Directory.Delete(_podsDirectory, recursive: true);
        }
    }
}
