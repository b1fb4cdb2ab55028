using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using UFBrowsers.BenchSupport;
using UFBrowsers.Pods;
using UFBrowsers.Silo.Pods.LocalChromium;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Bench.ControlPlane;

/// <summary>
/// One client, one create at a time: <c>POST /v1/sessions</c> over loopback HTTP against the real API host on a PostgreSQL
/// that keeps its durability defaults (fsync on, reached over its Unix socket, as the product's local server), warm pods.
/// Each create is followed by the session's end, which is not timed, and, with <c>--interval-ms</c>, a pause until the next
/// create is due. Pods are instant fakes (the control plane alone) or, with <c>--pods local</c>, the real sandboxed local
/// provider. Then the same loop again with the product's spans recorded, to show where a create's time goes.
/// </summary>
internal static class CreateLatencyBenchmark
{
    private static readonly byte[] EmptyBody = Encoding.UTF8.GetBytes("{}");

    public static async Task RunAsync(BenchOptions options)
    {
        var local = options.Pods == "local";
        var interval = TimeSpan.FromMilliseconds(options.IntervalMs ?? (local ? 1000 : 0));
        var postgres = PostgresServer.Durable();
        await postgres.InitializeAsync();
        try
        {
            var settings = BenchSettings.ForSilo("Postgres", postgres.UnixSocketConnectionString, warmTarget: 2, maxPods: local ? 10 : 1_000_000);
            // Grain calls carry the trace, so the recorded run can follow a create into the grains; nothing listens in the timed runs.
            settings["UFBrowsers:Tracing:Enabled"] = "true";
            settings["UFBrowsers:LocalChromium:Sandbox"] = "true";
            await using var host = await BenchApiHost.StartAsync(settings, services => local
                ? services.GetRequiredService<LocalChromiumPodProvider>()
                : new InstantPodProvider());
            var customer = (await BenchCustomers.CreateAsync(host, 1, credits: 10_000_000, prefix: "latency"))[0];
            using var http = host.NewClient(customer.ApiKey);
            var pool = host.Grains.GetGrain<IPodPoolGrain>(BenchSettings.NodePool);
            var name = $"create-latency, {(local ? "local sandboxed pods" : "instant pods")}, PostgreSQL durable";
            Console.WriteLine($"[{name}] one client; interval {interval.TotalMilliseconds:F0} ms; warm-up {options.WarmupSamples} creates, " +
                              $"{options.Runs} runs of {options.Samples}; load average {LoadAverage.Now()}");

            await LoopAsync(http, pool, options.WarmupSamples, interval, recorder: null);
            var p50s = new List<double>();
            var p99s = new List<double>();
            for (var run = 1; run <= options.Runs; run++)
            {
                var result = await LoopAsync(http, pool, options.Samples, interval, recorder: null);
                p50s.Add(result.P50);
                p99s.Add(result.P99);
                Console.WriteLine($"[{name}] run {run}: {result}; load average {LoadAverage.Now()}");
            }

            Console.WriteLine($"[{name}] median of {options.Runs} runs: create p50 {Percentiles.Median(p50s):F2} ms, p99 {Percentiles.Median(p99s):F2} ms " +
                              $"(targets: p50 <= 5 ms, p99 <= 15 ms); load average {LoadAverage.Now()}");

            using var recorder = new SpanRecorder();
            var traced = await LoopAsync(http, pool, Math.Min(options.Samples, 500), interval, recorder);
            Console.WriteLine($"[{name}] traced run (spans recorded, which costs a little): {traced}");
            Console.WriteLine(recorder.Report());
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }

    private static async Task<LoopResult> LoopAsync(HttpClient http, IPodPoolGrain pool, int samples, TimeSpan interval, SpanRecorder? recorder)
    {
        var before = await pool.GetStatus();
        var compiledBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
        var latencies = new List<double>(samples);
        var failures = 0;
        for (var i = 0; i < samples; i++)
        {
            var due = Stopwatch.GetTimestamp();
            string? sessionId;
            using (recorder?.Measure("bench.create"))
            {
                var started = Stopwatch.GetTimestamp();
                sessionId = await CreateAsync(http);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            if (sessionId is null)
            {
                failures++;
            }
            else
            {
                await EndAsync(http, sessionId);
            }

            var left = interval - Stopwatch.GetElapsedTime(due);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left);
            }
        }

        var after = await pool.GetStatus();
        latencies.Sort();
        return new LoopResult(latencies, failures, after.Hits - before.Hits, after.Misses - before.Misses,
            System.Runtime.JitInfo.GetCompiledMethodCount() - compiledBefore);
    }

    private static async Task<string?> CreateAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/sessions") { Content = new ByteArrayContent(EmptyBody) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        await using var body = await response.Content.ReadAsStreamAsync();
        using var json = await JsonDocument.ParseAsync(body);
        return json.RootElement.GetProperty("id").GetString();
    }

    private static async Task EndAsync(HttpClient http, string sessionId)
    {
        using var response = await http.PostAsync($"/v1/sessions/{sessionId}/end", null);
        response.EnsureSuccessStatusCode();
    }

    private sealed record LoopResult(List<double> Sorted, int Failures, long Hits, long Misses, long MethodsCompiled)
    {
        public double P50 => Percentiles.Of(Sorted, 50);

        public double P99 => Percentiles.Of(Sorted, 99);

        public override string ToString() =>
            $"create p50 {P50:F2} ms, p99 {P99:F2} ms, max {Sorted[^1]:F2} ms (n={Sorted.Count}, {Failures} failures); " +
            $"pool hits {Hits}, misses {Misses}; {MethodsCompiled} methods JIT-compiled";
    }
}
