using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using UFBrowsers.BenchSupport;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Pods;
using UFBrowsers.Silo.Pods.LocalChromium;

namespace UFBrowsers.Bench.PodStart;

/// <summary>
/// Time to a usable page through the gateway, as a customer sees it, on two complete hosts in this process: one with
/// sandboxed pods, one with the sandbox turned off. Each sample starts with a warm pod ready in its host's pool.
/// </summary>
internal static class UsablePageBenchmark
{
    public static async Task RunAsync(int rounds)
    {
        var root = Path.Combine(Path.GetTempPath(), "ufb-bench-page-" + Environment.ProcessId);
        var sandboxed = await Host(Path.Combine(root, "on"), sandbox: true);
        var unsandboxed = await Host(Path.Combine(root, "off"), sandbox: false);
        try
        {
            await MeasureAsync(sandboxed, unsandboxed, rounds);
        }
        finally
        {
            await sandboxed.Host.DisposeAsync();
            await unsandboxed.Host.DisposeAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task MeasureAsync((BenchApiHost Host, HttpClient Client) sandboxed, (BenchApiHost Host, HttpClient Client) unsandboxed, int rounds)
    {
        using var playwright = await Playwright.CreateAsync();
        var variants = new[]
        {
            new Variant(sandboxed.Host, sandboxed.Client, new Samples("sandbox"), new Samples("  create session (HTTP)"), new Samples("  connectOverCDP"), new Samples("  new page + evaluate")),
            new Variant(unsandboxed.Host, unsandboxed.Client, new Samples("no sandbox"), new Samples("  create session (HTTP)"), new Samples("  connectOverCDP"), new Samples("  new page + evaluate")),
        };

        for (var i = 0; i < 3; i++)
        {
            foreach (var variant in variants)
            {
                await Sample(playwright, variant, record: false);
            }
        }

        for (var i = 0; i < rounds; i++)
        {
            foreach (var variant in i % 2 == 0 ? variants : variants.Reverse())
            {
                await Sample(playwright, variant, record: true);
            }
        }

        Samples.Report("Time to a usable page through the gateway (session, connect, new page, evaluate)", variants[0].Total, variants[1].Total, 1.10);
        foreach (var variant in variants)
        {
            Console.WriteLine($"  {variant.Total.Name}:");
            Console.WriteLine(variant.Create.Line());
            Console.WriteLine(variant.Connect.Line());
            Console.WriteLine(variant.Page.Line());
        }
    }

    private static async Task Sample(IPlaywright playwright, Variant variant, bool record)
    {
        await WaitForWarmPod(variant.Host);
        var started = Stopwatch.GetTimestamp();
        var session = (await (await variant.Client.PostAsJsonAsync("/v1/sessions", new { })).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonNode>())!;
        var created = Stopwatch.GetElapsedTime(started);
        var browser = await playwright.Chromium.ConnectOverCDPAsync(session["connectUrl"]!.GetValue<string>());
        var connected = Stopwatch.GetElapsedTime(started);
        var page = await browser.Contexts[0].NewPageAsync();
        var two = await page.EvaluateAsync<int>("() => 1 + 1");
        var usable = Stopwatch.GetElapsedTime(started);
        if (two != 2)
        {
            throw new InvalidOperationException("The page did not evaluate 1 + 1.");
        }

        if (record)
        {
            variant.Total.Add(usable);
            variant.Create.Add(created);
            variant.Connect.Add(connected - created);
            variant.Page.Add(usable - connected);
        }

        await browser.CloseAsync();
        await variant.Client.PostAsync($"/v1/sessions/{session["id"]!.GetValue<string>()}/end", null);
    }

    private static async Task WaitForWarmPod(BenchApiHost host)
    {
        var pool = host.Grains.GetGrain<IPodPoolGrain>(BenchSettings.NodePool);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await pool.GetStatus()).Ready < 1)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("No warm pod within 60 s.");
            }

            await Task.Delay(20);
        }
    }

    private static async Task<(BenchApiHost Host, HttpClient Client)> Host(string podsDirectory, bool sandbox)
    {
        var settings = BenchSettings.ForSilo("Memory", warmTarget: 1, maxPods: 8);
        settings["UFBrowsers:LocalChromium:PodsDirectory"] = podsDirectory;
        settings["UFBrowsers:LocalChromium:Sandbox"] = sandbox ? "true" : "false";
        var host = await BenchApiHost.StartAsync(settings, services => services.GetRequiredService<LocalChromiumPodProvider>());
        var customer = (await BenchCustomers.CreateAsync(host, 1, credits: 5000, prefix: sandbox ? "on" : "off"))[0];
        return (host, host.NewClient(customer.ApiKey));
    }

    private sealed record Variant(BenchApiHost Host, HttpClient Client, Samples Total, Samples Create, Samples Connect, Samples Page);
}
