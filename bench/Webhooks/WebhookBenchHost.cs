using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using UFBrowsers.Grains.Pods;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Bench.Webhooks;

/// <summary>
/// The product in this process (API and silo, in-memory storage, instant fake pods instead of Chromium) on a real
/// Kestrel loopback port, so each event pays for HTTP, signature verification, the inbox and the grains.
/// </summary>
internal sealed class WebhookBenchHost : WebApplicationFactory<Program>
{
    public const string Secret = "whsec_bench_6f0c2d9e4b7a41c3a8e5d2f7b9c1e3a5";
    public const string PriceId = "price_bench_professional";

    public WebhookBenchHost()
    {
        var port = FreePort.Next();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
    }

    public Uri BaseAddress { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // A console project gets no test-app manifest from Mvc.Testing, so the API's content root is named here.
        builder.UseSolutionRelativeContentRoot("src/Api");
        builder.UseSetting("UFBrowsers:Silo:SiloPort", FreePort.Next().ToString());
        builder.UseSetting("UFBrowsers:Silo:GatewayPort", FreePort.Next().ToString());
        builder.UseSetting("UFBrowsers:Stripe:WebhookSecret", Secret);
        builder.UseSetting("UFBrowsers:Billing:Plans:professional:StripePriceId", PriceId);
        builder.UseSetting("UFBrowsers:Pods:NodePools:default:WarmTarget", "0");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.ConfigureTestServices(services => services.AddSingleton<IPodProvider>(new FakePodProvider()));
    }
}
