using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using UFBrowsers.BenchSupport;

namespace UFBrowsers.Bench.ControlPlane;

/// <summary>Concurrent clients that each start a session, end it, and go again, for a fixed time.</summary>
internal sealed class SessionLoad(HttpClient http, IReadOnlyList<BenchCustomer> customers, int clients)
{
    private static readonly byte[] EmptyBody = Encoding.UTF8.GetBytes("{}");

    public async Task<RunResult> RunAsync(TimeSpan duration)
    {
        var latencies = new List<double>[clients];
        var pairs = new long[clients];
        var failures = new long[clients];
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var compiledBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
        var stopwatch = Stopwatch.StartNew();
        var deadline = stopwatch.Elapsed + duration;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var mine = latencies[client] = new List<double>(65_536);
            for (var i = client; stopwatch.Elapsed < deadline; i += clients)
            {
                var customer = customers[i % customers.Count];
                var started = Stopwatch.GetTimestamp();
                var sessionId = await CreateAsync(customer);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (sessionId is null || !await EndAsync(customer, sessionId))
                {
                    failures[client]++;
                    continue;
                }

                pairs[client]++;
            }
        })));
        var elapsed = stopwatch.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var all = latencies.SelectMany(l => l).Order().ToList();
        return new RunResult(all, pairs.Sum(), failures.Sum(), elapsed, cpu, System.Runtime.JitInfo.GetCompiledMethodCount() - compiledBefore);
    }

    private async Task<string?> CreateAsync(BenchCustomer customer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/sessions") { Content = new ByteArrayContent(EmptyBody) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", customer.ApiKey);
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        await using var body = await response.Content.ReadAsStreamAsync();
        using var json = await JsonDocument.ParseAsync(body);
        return json.RootElement.GetProperty("id").GetString();
    }

    private async Task<bool> EndAsync(BenchCustomer customer, string sessionId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/sessions/{sessionId}/end");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", customer.ApiKey);
        using var response = await http.SendAsync(request);
        return response.IsSuccessStatusCode;
    }
}
