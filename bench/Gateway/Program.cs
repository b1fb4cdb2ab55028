using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using UFBrowsers.Api.Hosting;
using UFBrowsers.ApiKeys;
using UFBrowsers.Bench.Gateway;
using UFBrowsers.Customers;
using UFBrowsers.Sessions;
using UFBrowsers.Silo.Hosting;

// Gateway overhead, measured side by side in one run: the same page driven over a direct CDP connection to the
// browser and over the gateway, requests alternating so that both see the same machine load. A third path, a bare
// TCP forwarder in this process, shows the floor: what one extra loopback hop each way costs on this machine.
//   dotnet run -c Release --project bench/Gateway [evaluations] [screenshots]
var evaluations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3000;
var screenshots = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;

var builder = WebApplication.CreateBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["UFBrowsers:Silo:SiloPort"] = UnusedPort().ToString(CultureInfo.InvariantCulture),
    ["UFBrowsers:Silo:GatewayPort"] = UnusedPort().ToString(CultureInfo.InvariantCulture),
    ["UFBrowsers:Gateway:SigningKey"] = "bench-signing-key-0123456789abcdef0123456789",
    ["UFBrowsers:Billing:Plans:professional:MonthlyPriceCents"] = "4900",
    ["UFBrowsers:Billing:Plans:professional:CreditsPerPeriod"] = "5000",
    ["UFBrowsers:Billing:Plans:professional:ConcurrencyLimit"] = "10",
    ["UFBrowsers:Billing:Plans:professional:MaxSessionMinutes"] = "60",
    ["UFBrowsers:Pods:DefaultNodePool"] = "default",
    ["UFBrowsers:Pods:NodePools:default:WarmTarget"] = "1",
    ["UFBrowsers:Pods:NodePools:default:MaxPods"] = "4",
    ["UFBrowsers:LocalChromium:PodsDirectory"] = Path.Combine(Path.GetTempPath(), "ufb-bench-pods"),
});
builder.UseOrleans(silo => silo.AddUFBrowsers(builder.Configuration));
builder.Services.AddUFBrowsersApi(builder.Configuration);
await using var app = builder.Build();
app.UseUFBrowsersApi();
await app.StartAsync();
var apiUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

var grains = app.Services.GetRequiredService<IGrainFactory>();
var customer = grains.GetGrain<ICustomerGrain>("bench-" + Guid.NewGuid().ToString("N")[..8]);
await customer.Create("Benchmark", "professional");
await customer.ChangeSubscription(new SubscriptionChange(Status: SubscriptionStatus.Active, TenantProvisioned: true));
await customer.AdjustCredits(100, "benchmark", Guid.NewGuid().ToString());
var key = await grains.GetGrain<IApiKeyDirectoryGrain>(customer.GetPrimaryKeyString()).Issue("bench");

using var http = new HttpClient { BaseAddress = new Uri(apiUrl) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Token);
var created = (await (await http.PostAsJsonAsync("/v1/sessions", new { idleTimeoutSeconds = 600 })).Content.ReadFromJsonAsync<JsonNode>())!;
var sessionId = created["id"]!.GetValue<string>();
var gatewayUrl = created["connectUrl"]!.GetValue<string>();
var pod = (await grains.GetGrain<ISessionGrain>(sessionId).GetPod())!;
var directUrl = pod.CdpWebSocketUrl;

// "Direct" is as direct as the silo gets: through the sandboxed pod's DevTools socket when it has one.
await using var forwarder = new BareForwarder(new Uri(directUrl), pod.DevToolsSocket);
var direct = await BenchCdpClient.ConnectAsync(directUrl, pod.DevToolsSocket);
var gateway = await BenchCdpClient.ConnectAsync(gatewayUrl);
var bare = await BenchCdpClient.ConnectAsync(forwarder.Url);
var targetId = BenchCdpClient.Field(await direct.SendAsync("Target.createTarget", "{\"url\":\"about:blank\"}"), "result", "targetId");
var directSession = BenchCdpClient.Field(await direct.SendAsync("Target.attachToTarget", $"{{\"targetId\":\"{targetId}\",\"flatten\":true}}"), "result", "sessionId");
var gatewaySession = BenchCdpClient.Field(await gateway.SendAsync("Target.attachToTarget", $"{{\"targetId\":\"{targetId}\",\"flatten\":true}}"), "result", "sessionId");
var bareSession = BenchCdpClient.Field(await bare.SendAsync("Target.attachToTarget", $"{{\"targetId\":\"{targetId}\",\"flatten\":true}}"), "result", "sessionId");

Console.WriteLine($"gateway: {gatewayUrl[..gatewayUrl.IndexOf('?')]}?token=…  direct: {directUrl}{(pod.DevToolsSocket is { } socketPath ? " via " + socketPath : "")}");
Console.WriteLine($"cores: {Environment.ProcessorCount}; evaluations: {evaluations} per path; screenshots: {screenshots} per path");

// Round trip of Runtime.evaluate("1+1").
const string evaluate = "{\"expression\":\"1+1\",\"returnByValue\":true}";
(BenchCdpClient Client, string Session)[] paths = [(direct, directSession), (gateway, gatewaySession), (bare, bareSession)];
for (var i = 0; i < 200; i++)
{
    foreach (var (client, session) in paths)
    {
        await client.SendAsync("Runtime.evaluate", evaluate, session);
    }
}

var rtts = paths.Select(_ => new List<double>(evaluations)).ToArray();
for (var i = 0; i < evaluations; i++)
{
    // Rotate which path goes first so none always runs on a warmer cache.
    for (var k = 0; k < paths.Length; k++)
    {
        var path = (i + k) % paths.Length;
        var start = Stopwatch.GetTimestamp();
        await paths[path].Client.SendAsync("Runtime.evaluate", evaluate, paths[path].Session);
        rtts[path].Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
    }
}

var (directRtt, gatewayRtt, bareRtt) = (rtts[0], rtts[1], rtts[2]);

// A large screenshot: a full-HD page of random pixels, which PNG cannot compress.
await direct.SendAsync("Emulation.setDeviceMetricsOverride", "{\"width\":1920,\"height\":1080,\"deviceScaleFactor\":1,\"mobile\":false}", directSession);
await direct.SendAsync("Runtime.evaluate",
    "{\"expression\":\"document.body.style.margin='0';const c=document.createElement('canvas');c.width=1920;c.height=1080;document.body.appendChild(c);const x=c.getContext('2d');const d=x.createImageData(1920,1080);crypto.getRandomValues(d.data.subarray(0,65536));for(let i=0;i<d.data.length;i+=65536)crypto.getRandomValues(d.data.subarray(i,Math.min(i+65536,d.data.length)));for(let i=3;i<d.data.length;i+=4)d.data[i]=255;x.putImageData(d,0,0);'ok'\",\"returnByValue\":true}",
    directSession);
const string capture = "{\"format\":\"png\"}";
var bytes = (await direct.SendAsync("Page.captureScreenshot", capture, directSession)).Length;
await gateway.SendAsync("Page.captureScreenshot", capture, gatewaySession);

var directMbps = new List<double>(screenshots);
var gatewayMbps = new List<double>(screenshots);
for (var i = 0; i < screenshots; i++)
{
    var (first, firstSession, firstList, second, secondSession, secondList) = i % 2 == 0
        ? (direct, directSession, directMbps, gateway, gatewaySession, gatewayMbps)
        : (gateway, gatewaySession, gatewayMbps, direct, directSession, directMbps);
    var start = Stopwatch.GetTimestamp();
    var length = (await first.SendAsync("Page.captureScreenshot", capture, firstSession)).Length;
    firstList.Add(length / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e6);
    start = Stopwatch.GetTimestamp();
    length = (await second.SendAsync("Page.captureScreenshot", capture, secondSession)).Length;
    secondList.Add(length / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e6);
}

var rttRatio = Stats.Median(gatewayRtt) / Stats.Median(directRtt);
var bareRatio = Stats.Median(bareRtt) / Stats.Median(directRtt);
var throughputRatio = Stats.Median(gatewayMbps) / Stats.Median(directMbps);
Console.WriteLine();
Console.WriteLine("Runtime.evaluate(\"1+1\") round trip, µs   median      p99");
Console.WriteLine($"  direct                              {Stats.Median(directRtt),8:F0} {Stats.Percentile(directRtt, 0.99),8:F0}");
Console.WriteLine($"  gateway                             {Stats.Median(gatewayRtt),8:F0} {Stats.Percentile(gatewayRtt, 0.99),8:F0}");
Console.WriteLine($"  ratio gateway/direct (median)       {rttRatio,8:F3}   target <= 1.15: {(rttRatio <= 1.15 ? "met" : "NOT met")}");
Console.WriteLine($"  bare TCP forwarder (floor)          {Stats.Median(bareRtt),8:F0} {Stats.Percentile(bareRtt, 0.99),8:F0}");
Console.WriteLine($"  ratio forwarder/direct (median)     {bareRatio,8:F3}");
Console.WriteLine();
Console.WriteLine($"Page.captureScreenshot, {bytes / 1e6:F1} MB per response, MB/s   median   p1 (slowest)");
Console.WriteLine($"  direct                              {Stats.Median(directMbps),8:F1} {Stats.Percentile(directMbps, 0.01),8:F1}");
Console.WriteLine($"  gateway                             {Stats.Median(gatewayMbps),8:F1} {Stats.Percentile(gatewayMbps, 0.01),8:F1}");
Console.WriteLine($"  ratio gateway/direct (median)       {throughputRatio,8:F3}   target >= 0.85: {(throughputRatio >= 0.85 ? "met" : "NOT met")}");

await direct.DisposeAsync();
await gateway.DisposeAsync();
await bare.DisposeAsync();
await http.PostAsync($"/v1/sessions/{sessionId}/end", null);
await app.StopAsync();

static int UnusedPort()
{
    using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
}
