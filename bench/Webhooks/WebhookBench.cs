using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using UFBrowsers.Customers;
using UFBrowsers.StripeEvents;

namespace UFBrowsers.Bench.Webhooks;

/// <summary>
/// Webhook throughput: N correctly signed events (a checkout, its first invoice, a renewal and a failed renewal per customer) posted over loopback HTTP to an in-process instance, C at a time; every answer must be 200 "applied". Prints events verified and applied per second for each run and the median. Usage: [events] [runs] [concurrency].
/// </summary>
internal static class WebhookBench
{
    public static async Task<int> Main(string[] args)
    {
        var events = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 4000;
        var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16;

        await using var host = new WebhookBenchHost();
        host.StartServer();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var sender = new StripeWebhookSender(http, WebhookBenchHost.Secret);
        var price = new StripePrice(WebhookBenchHost.PriceId, "professional", 4900);
        var anchor = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var rates = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var customers = Enumerable.Range(0, (events + 3) / 4).Select(i => $"bench-{run}-{i}").ToList();
            await Task.WhenAll(customers.Select(id => grains.GetGrain<ICustomerGrain>(id).Create(id, "professional")));
            var payloads = customers.SelectMany(id =>
            {
                var s = new StripeSubscriber(id, price, anchor);
                return new[]
                {
                    StripeEventFactory.CheckoutCompleted(s, anchor.AddSeconds(5)),
                    StripeEventFactory.InvoicePaid(s, 1, anchor.AddSeconds(6)),
                    StripeEventFactory.InvoicePaid(s, 2, s.PeriodStart(2).AddHours(1)),
                    StripeEventFactory.InvoicePaymentFailed(s, 3, s.PeriodStart(3).AddHours(1)),
                };
            }).Take(events).ToList();

            var clock = Stopwatch.StartNew();
            var failures = 0;
            await Parallel.ForEachAsync(payloads, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (payload, ct) =>
            {
                using var response = await sender.SendAsync(payload, ct);
                if (!response.IsSuccessStatusCode || !(await response.Content.ReadAsStringAsync(ct)).Contains("\"outcome\":\"applied\"", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref failures);
                }
            });
            clock.Stop();

            if (failures > 0)
            {
                Console.Error.WriteLine($"run {run}: {failures} of {payloads.Count} events were not applied");
                return 1;
            }

            var rate = payloads.Count / clock.Elapsed.TotalSeconds;
            // Run 0 warms up the JIT, the grain activation paths and the connection pool; it is reported but not counted.
            Console.WriteLine(run == 0
                ? $"warm-up: {payloads.Count} events in {clock.Elapsed.TotalSeconds:0.00} s ({rate:0} events/s)"
                : $"run {run}: {payloads.Count} events in {clock.Elapsed.TotalSeconds:0.00} s = {rate:0} events/s");
            if (run > 0)
            {
                rates.Add(rate);
            }
        }

        rates.Sort();
        Console.WriteLine($"median: {rates[rates.Count / 2]:0} events/s verified and applied ({events} events x {runs} runs, concurrency {concurrency}, {Environment.ProcessorCount} cores)");
        return 0;
    }
}
