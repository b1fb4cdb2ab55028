using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using UFBrowsers.Cluster.Tests.Infrastructure;
using UFBrowsers.TestSupport;
using Xunit.Abstractions;

namespace UFBrowsers.Cluster.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresOutageTests(PostgresServer postgres, ITestOutputHelper output)
{
    private const long Grant = 10_000;

    [Fact]
    public async Task While_PostgreSQL_is_down_requests_get_503_with_retry_after_nothing_is_half_applied_and_service_resumes()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var product = new ProductOnPostgres(database);
        var customers = new List<(string Id, HttpClient Client)>();
        for (var i = 0; i < 3; i++)
        {
            var (id, key) = await product.NewCustomer(Grant);
            customers.Add((id, product.WithKey(key)));
        }

        var statuses = new ConcurrentDictionary<HttpStatusCode, int>();
        var retryAfterMissing = 0;
        var started = new ConcurrentDictionary<string, string>();
        using var stop = new CancellationTokenSource();

        async Task<HttpResponseMessage> Send(Func<Task<HttpResponseMessage>> request)
        {
            // A client that retries with the same Idempotency-Key or session id until it gets a definite answer.
            while (true)
            {
                var response = await request();
                statuses.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                {
                    return response;
                }

                if (response.Headers.RetryAfter is null)
                {
                    Interlocked.Increment(ref retryAfterMissing);
                }

                await Task.Delay(200);
            }
        }

        async Task Worker((string Id, HttpClient Client) customer)
        {
            while (!stop.IsCancellationRequested)
            {
                var key = Guid.NewGuid().ToString();
                var created = await Send(() => customer.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/sessions")
                {
                    Content = JsonContent.Create(new { }),
                    Headers = { { "Idempotency-Key", key } },
                }));
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                var id = (await created.Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
                started[id] = customer.Id;
                var ended = await Send(() => customer.Client.PostAsync($"/v1/sessions/{id}/end", null));
                Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
            }
        }

        var workers = customers.Select(c => Task.Run(() => Worker(c))).ToList();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var beforeOutage = started.Count;
        await postgres.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(5));
        var duringOutage = started.Count - beforeOutage;
        await postgres.StartAsync();
        var restarted = Stopwatch.StartNew();
        var atRestart = started.Count;
        while (started.Count < atRestart + 10 && restarted.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100);
        }

        var recoveredAfter = restarted.Elapsed;
        stop.Cancel();
        await Task.WhenAll(workers);

        output.WriteLine($"sessions: {beforeOutage} before the outage, {duringOutage} during, {started.Count} in all; " +
            $"service resumed {recoveredAfter.TotalSeconds:F1} s after PostgreSQL came back; statuses: " +
            string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{(int)s.Key}x{s.Value}")));
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.ServiceUnavailable) > 0, "requests during the outage should have been refused with 503");
        Assert.Equal(0, retryAfterMissing);
        Assert.DoesNotContain(statuses.Keys, s => (int)s >= 500 && s != HttpStatusCode.ServiceUnavailable);
        Assert.True(started.Count >= atRestart + 10, "service should resume by itself once PostgreSQL is back");

        using var op = product.Operator();
        foreach (var (id, client) in customers)
        {
            var audit = (await (await op.GetAsync($"/admin/customers/{id}/audit")).Content.ReadFromJsonAsync<JsonNode>())!;
            var sessions = started.Count(s => s.Value == id);
            Assert.True(audit["agrees"]!.GetValue<bool>(), audit.ToJsonString());
            Assert.Equal(0, audit["activeSessions"]!.GetValue<int>());
            // Every session ran for well under a minute, so each cost exactly one credit: nothing lost, nothing doubled.
            Assert.Equal(Grant - sessions, audit["ledgerSum"]!.GetValue<long>());
        }
    }
}
