using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using UFBrowsers.Grains;
using UFBrowsers.BenchSupport;
using UFBrowsers.Customers;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Sessions;
using UFBrowsers.Silo.Hosting;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Bench.ControlPlane;

/// <summary>
/// Silo memory per active session: managed heap after a full collection, before and after starting
/// <see cref="BenchOptions.Sessions"/> sessions through in-process grain calls, divided by the sessions. On memory storage
/// the figure includes the stand-in database (ledger, session records, serialized grain state) that PostgreSQL keeps
/// outside the silo in production; <c>--storage postgres</c> measures the silo as deployed.
/// </summary>
internal static class FootprintBenchmark
{
    private const int SessionsPerCustomer = 100;

    public static async Task RunAsync(BenchOptions options)
    {
        if (options.Storage != "postgres")
        {
            await RunAsync(options, BenchSettings.ForSilo("Memory"));
            return;
        }

        var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        try
        {
            await RunAsync(options, BenchSettings.ForSilo("Postgres", postgres.ConnectionString));
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }

    private static async Task RunAsync(BenchOptions options, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        // The product clock stands still, so starting 100,000 sessions (minutes on this machine) pays no further minutes
        // while it runs: what is measured is the memory of an active session, not a metering storm.
        builder.Services.AddKeyedSingleton<TimeProvider>(UFBrowsersClock.Key, new FakeTimeProvider(DateTimeOffset.UtcNow));
        builder.UseOrleans(silo => silo.AddUFBrowsers(builder.Configuration));
        builder.Services.AddSingleton<IPodProvider>(new InstantPodProvider());
        using var host = builder.Build();
        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();

        var customerCount = (options.Sessions + SessionsPerCustomer - 1) / SessionsPerCustomer;
        var customers = new string[customerCount];
        await Parallel.ForAsync(0, customerCount, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            var id = customers[i] = "fp-" + i;
            var customer = grains.GetGrain<ICustomerGrain>(id);
            await customer.Create("Footprint " + i, BenchSettings.Plan);
            await customer.ChangeSubscription(new SubscriptionChange(Status: SubscriptionStatus.Active, TenantProvisioned: true));
            await customer.AdjustCredits(1_000_000, "bench grant", "grant-" + id);
        });

        // Warm every code path once (and end those sessions) so that the baseline includes the JIT and the pools.
        await StartSessions(grains, customers, 2_000, end: true);
        var before = FullCollection();
        var stopwatch = Stopwatch.StartNew();
        await StartSessions(grains, customers, options.Sessions, end: false);
        var startSeconds = stopwatch.Elapsed.TotalSeconds;
        var after = FullCollection();

        var perSession = (after - before) / (double)options.Sessions;
        Console.WriteLine($"[footprint, {settings["UFBrowsers:Silo:Storage"]}] {options.Sessions} active sessions over {customerCount} customers started in {startSeconds:F1} s " +
                          $"({options.Sessions / startSeconds:F0}/s); managed heap {before / 1048576.0:F1} MB -> {after / 1048576.0:F1} MB; " +
                          $"{perSession:F0} bytes ({perSession / 1024:F2} KB) per active session");
        if (Environment.GetEnvironmentVariable("FOOTPRINT_HOLD_SECONDS") is { } hold)
        {
            // Time to take a heap snapshot (dotnet-gcdump collect -p <pid>) of the sessions just measured.
            Console.WriteLine($"[footprint] holding the sessions for {hold} s (pid {Environment.ProcessId})");
            await Task.Delay(TimeSpan.FromSeconds(int.Parse(hold, System.Globalization.CultureInfo.InvariantCulture)));
        }

        await host.StopAsync();
    }

    private static async Task StartSessions(IGrainFactory grains, IReadOnlyList<string> customers, int count, bool end)
    {
        var failed = 0;
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
        {
            var session = grains.GetGrain<ISessionGrain>(SessionIds.New());
            var result = await session.Start(new SessionRequest(customers[i % customers.Count]));
            if (!result.Succeeded)
            {
                Interlocked.Increment(ref failed);
            }
            else if (end)
            {
                await session.End(EndReason.Client);
            }
        });
        if (failed > 0)
        {
            throw new InvalidOperationException($"{failed} of {count} sessions did not start.");
        }
    }

    private static long FullCollection()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
