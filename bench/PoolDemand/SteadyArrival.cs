using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using UFBrowsers.BenchSupport;
using UFBrowsers.Pods;
using UFBrowsers.Silo.Pods.LocalChromium;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Bench.PoolDemand;

/// <summary>
/// Sessions arriving at a steady rate, each ended after a fixed time, over HTTP against the real API host with the real
/// sandboxed local provider (or instant fakes) and the product's pool settings (MinWarm 2, MaxWarm 16, MaxPods 20). It
/// reports the pool misses after the pool had time to learn the rate, create latency, and the pool's target over time.
/// </summary>
internal static class SteadyArrival
{
    private static readonly byte[] EmptyBody = Encoding.UTF8.GetBytes("{}");

    public static async Task<int> RunAsync(DemandOptions options)
    {
        PostgresServer? postgres = null;
        if (options.Storage == "postgres")
        {
            postgres = PostgresServer.Durable();
            await postgres.InitializeAsync();
        }

        try
        {
            var settings = BenchSettings.ForSilo(options.Storage == "postgres" ? "Postgres" : "Memory", postgres?.UnixSocketConnectionString, warmTarget: 2, maxPods: 20);
            settings["UFBrowsers:Pods:NodePools:" + BenchSettings.NodePool + ":MaxWarm"] = "16";
            settings["UFBrowsers:LocalChromium:Sandbox"] = "true";
            await using var host = await BenchApiHost.StartAsync(settings, services => options.Pods == "local"
                ? services.GetRequiredService<LocalChromiumPodProvider>()
                : new InstantPodProvider());
            var customer = (await BenchCustomers.CreateAsync(host, 1, credits: 1_000_000, prefix: "demand"))[0];
            using var http = host.NewClient(customer.ApiKey);
            var pool = host.Grains.GetGrain<IPodPoolGrain>(BenchSettings.NodePool);
            await WaitForWarmPods(pool);
            Console.WriteLine($"warm pool ready: {Describe(await pool.GetStatus())}; load average {LoadAverage.Now()}");

            // --spans: the product's spans of every create, to show where the slow ones spend their time (costs a little).
            using var spans = options.Spans ? new SpanRecorder() : null;
            var samples = new ConcurrentBag<CreateSample>();
            var timeline = new List<(double At, PodPoolStatus Status)>();
            var clock = Stopwatch.StartNew();
            var sampling = SampleAsync(pool, clock, timeline, TimeSpan.FromSeconds(options.Seconds + options.SessionSeconds + 2));
            var arrivals = (int)Math.Round(options.Rate * options.Seconds);
            var sessions = new List<Task>(arrivals);
            PodPoolStatus? atSettle = null;
            for (var i = 0; i < arrivals; i++)
            {
                var due = TimeSpan.FromSeconds(i / options.Rate);
                if (atSettle is null && due >= TimeSpan.FromSeconds(options.SettleSeconds))
                {
                    atSettle = await pool.GetStatus();
                }

                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                sessions.Add(OneSessionAsync(http, clock, TimeSpan.FromSeconds(options.SessionSeconds), samples, spans));
            }

            await Task.WhenAll(sessions);
            var end = await pool.GetStatus();
            await sampling;

            Report(options, samples.ToList(), atSettle ?? end, end, timeline);
            if (spans is not null)
            {
                Console.WriteLine();
                Console.WriteLine("Where a create's time goes (the product's spans, all creates):");
                Console.WriteLine(spans.Report());
            }

            return 0;
        }
        finally
        {
            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }
        }
    }

    private static async Task OneSessionAsync(HttpClient http, Stopwatch clock, TimeSpan lasting, ConcurrentBag<CreateSample> samples, SpanRecorder? spans)
    {
        var at = clock.Elapsed;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/sessions") { Content = new ByteArrayContent(EmptyBody) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        HttpResponseMessage response;
        TimeSpan took;
        using (spans?.Measure("bench.create"))
        {
            var started = Stopwatch.GetTimestamp();
            response = await http.SendAsync(request);
            took = Stopwatch.GetElapsedTime(started);
        }

        using var answered = response;
        string? id = null;
        if (response.IsSuccessStatusCode)
        {
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
            id = json.RootElement.GetProperty("id").GetString();
        }

        samples.Add(new CreateSample(at.TotalSeconds, took.TotalMilliseconds, (int)response.StatusCode));
        if (id is not null)
        {
            await Task.Delay(lasting);
            using var ended = await http.PostAsync($"/v1/sessions/{id}/end", null);
        }
    }

    private static async Task SampleAsync(IPodPoolGrain pool, Stopwatch clock, List<(double, PodPoolStatus)> timeline, TimeSpan duration)
    {
        while (clock.Elapsed < duration)
        {
            timeline.Add((clock.Elapsed.TotalSeconds, await pool.GetStatus()));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private static async Task WaitForWarmPods(IPodPoolGrain pool)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (await pool.GetStatus() is var status && status.Ready < status.MinWarm)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The pool did not warm up within 90 s: {Describe(status)}");
            }

            await Task.Delay(100);
        }
    }

    private static void Report(DemandOptions options, List<CreateSample> samples, PodPoolStatus atSettle, PodPoolStatus end, List<(double At, PodPoolStatus Status)> timeline)
    {
        var all = samples.Select(s => s.Milliseconds).Order().ToList();
        var settled = samples.Where(s => s.At >= options.SettleSeconds).Select(s => s.Milliseconds).Order().ToList();
        var failed = samples.Count(s => s.Status != 201);
        var invariant = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine("pool over time (s: target / wanted, limited by; ready, starting, assigned; arrivals/s, launch s; hits, misses):");
        foreach (var (at, status) in timeline.Where((_, i) => i % 5 == 0 || i == timeline.Count - 1))
        {
            Console.WriteLine(string.Create(invariant, $"  {at,5:F0}  {Describe(status)}"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(invariant, $"creates: {samples.Count} ({failed} not 201); p50 {Percentiles.Of(all, 50):F1} ms, p99 {Percentiles.Of(all, 99):F1} ms, max {all[^1]:F1} ms"));
        Console.WriteLine(string.Create(invariant,
            $"after the first {options.SettleSeconds} s: {settled.Count} creates, p50 {Percentiles.Of(settled, 50):F1} ms, p99 {Percentiles.Of(settled, 99):F1} ms (target <= 20 ms); " +
            $"pool misses {end.Misses - atSettle.Misses} (target 0), refusals {end.Refused - atSettle.Refused}"));
        Console.WriteLine(string.Create(invariant,
            $"whole run: pool hits {end.Hits}, misses {end.Misses}, refusals {end.Refused}, trimmed {end.Trimmed}; load average {LoadAverage.Now()}"));
    }

    private static string Describe(PodPoolStatus s) => string.Create(CultureInfo.InvariantCulture,
        $"target {s.WarmTarget} / {s.Wanted}, {s.TargetLimitedBy}; ready {s.Ready}, starting {s.Creating}, assigned {s.Assigned}; " +
        $"{s.ArrivalsPerSecond:F2}/s, launch {s.LaunchSeconds:F2} s; hits {s.Hits}, misses {s.Misses}");

    private sealed record CreateSample(double At, double Milliseconds, int Status);
}
