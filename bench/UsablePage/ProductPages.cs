using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using UFBrowsers.BenchSupport;
using UFBrowsers.Pods;
using UFBrowsers.Silo.Pods.LocalChromium;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Bench.UsablePage;

/// <summary>
/// The product as a customer meets it: the API with its co-hosted silo on PostgreSQL, the local Chromium provider (sandboxed or
/// not) with its warm pool, a customer with an API key; a browser is <c>POST /v1/sessions</c> and its <c>connectUrl</c>
/// through the gateway.
/// </summary>
internal sealed class ProductPages : IPageSource
{
    private readonly BenchApiHost _host;
    private readonly HttpClient _client;
    private readonly SpanRecorder? _spans;

    private ProductPages(VariantSpec spec, BenchApiHost host, HttpClient client, SpanRecorder? spans)
    {
        _spans = spans;
        Spec = spec;
        _host = host;
        _client = client;
    }

    public VariantSpec Spec { get; }

    public static async Task<ProductPages> StartAsync(VariantSpec spec, PostgresServer postgres, string podsDirectory, int? warmTarget, SpanRecorder? spans)
    {
        var settings = BenchSettings.ForSilo("Postgres", await postgres.CreateDatabaseAsync());
        var pool = "UFBrowsers:Pods:NodePools:" + BenchSettings.NodePool;
        settings.Remove(pool + ":WarmTarget");
        settings.Remove(pool + ":MaxPods");
        if (warmTarget is { } target)
        {
            settings[pool + ":WarmTarget"] = target.ToString(CultureInfo.InvariantCulture);
        }

        settings["UFBrowsers:LocalChromium:PodsDirectory"] = podsDirectory;
        settings["UFBrowsers:LocalChromium:Sandbox"] = spec.Kind == VariantSpec.Sandbox ? "true" : "false";
        if (spec.BuildSetting is { } build)
        {
            settings["UFBrowsers:LocalChromium:Build"] = build;
        }

        if (spec.Cold)
        {
            settings["UFBrowsers:LocalChromium:WarmUp:Enabled"] = "false";
        }

        var host = await BenchApiHost.StartAsync(settings, services => services.GetRequiredService<LocalChromiumPodProvider>());
        var customer = (await BenchCustomers.CreateAsync(host, 1, credits: 1_000_000, prefix: spec.Kind))[0];
        return new ProductPages(spec, host, host.NewClient(customer.ApiKey), spans);
    }

    public async Task<BrowserHandout> OpenAsync(CancellationToken cancellationToken)
    {
        using var measured = Spec.Kind == VariantSpec.Sandbox ? _spans?.Measure("bench.create") : null;
        var started = TimeProvider.System.GetTimestamp();
        using var response = await _client.PostAsJsonAsync("/v1/sessions", new { }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /v1/sessions answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var session = (await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken))!;
        var created = TimeProvider.System.GetElapsedTime(started);
        var id = session["id"]!.GetValue<string>();
        return new BrowserHandout(session["connectUrl"]!.GetValue<string>(), created, CreateIsCustomerTime: true, async () =>
        {
            using var ended = await _client.PostAsync($"/v1/sessions/{id}/end", null, CancellationToken.None);
        });
    }

    public async Task WaitUntilWarmAsync(CancellationToken cancellationToken)
    {
        var pool = Pool();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (await pool.GetStatus() is var status && (status.Ready < status.WarmTarget || status.Creating > 0))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Spec.Name}: the pool did not fill within 2 minutes ({status}).");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    public async Task<long> MissesAsync() => (await Pool().GetStatus()).Misses;

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    private IPodPoolGrain Pool() => _host.Grains.GetGrain<IPodPoolGrain>(BenchSettings.NodePool);
}
