using System.Collections.Concurrent;
using System.Diagnostics;

namespace UFBrowsers.Bench.Drills;

/// <summary>
/// Clients that start a session, hold it briefly, and end it. Most retry a failed start or end with the same session id,
/// as a careful client does; a quarter never retry and walk away after their one failed call, so whatever that call left
/// half done (a hold, a pod) must be finished by the service itself. A share of sessions is abandoned so that their
/// deadline has to end them.
/// </summary>
internal sealed class SessionTraffic(ISessionClient client, IReadOnlyList<string> customers, int clients)
{
    public const int TimeoutSeconds = 5;

    private const int MaxAttempts = 60;
    private const double AbandonShare = 0.05;
    private const double NeverRetryShare = 0.25;

    /// <summary>Every session id a client tried, by customer.</summary>
    public ConcurrentDictionary<string, ConcurrentBag<string>> Sessions { get; } = new();

    public TrafficCounts Counts { get; } = new();

    public Task RunAsync(TimeSpan duration, CancellationToken stop = default) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            var stopwatch = Stopwatch.StartNew();
            for (var i = worker; stopwatch.Elapsed < duration && !stop.IsCancellationRequested; i += clients)
            {
                await OneSession(customers[i % customers.Count], random);
            }
        })));

    private async Task OneSession(string customerId, Random random)
    {
        var session = client.NewSession(customerId);
        Sessions.GetOrAdd(customerId, _ => []).Add(client.SessionId(customerId, session));
        if (random.NextDouble() < NeverRetryShare)
        {
            await OneSessionWithoutRetries(customerId, session, random);
            return;
        }

        var started = false;
        for (var attempt = 1; attempt <= MaxAttempts && !started; attempt++)
        {
            var outcome = await Safely(() => client.StartAsync(customerId, session, TimeoutSeconds), StartAttempt.Retry);
            if (outcome == StartAttempt.Refused)
            {
                Interlocked.Increment(ref Counts.Refused);
                return;
            }

            started = outcome == StartAttempt.Started;
            if (!started)
            {
                Interlocked.Increment(ref Counts.StartRetries);
                await Task.Delay(Backoff(attempt));
            }
        }

        if (!started)
        {
            Interlocked.Increment(ref Counts.GaveUp);
            // The client does not know whether the last try reached the server, so it ends the session to be safe.
            await EndWithRetries(customerId, session);
            return;
        }

        Interlocked.Increment(ref Counts.Started);
        if (random.NextDouble() < AbandonShare)
        {
            Interlocked.Increment(ref Counts.Abandoned);
            return;
        }

        await Task.Delay(random.Next(0, 200));
        if (await EndWithRetries(customerId, session))
        {
            Interlocked.Increment(ref Counts.Ended);
        }
    }

    private async Task OneSessionWithoutRetries(string customerId, string session, Random random)
    {
        var outcome = await Safely(() => client.StartAsync(customerId, session, TimeoutSeconds), StartAttempt.Retry);
        if (outcome == StartAttempt.Refused)
        {
            Interlocked.Increment(ref Counts.Refused);
            return;
        }

        if (outcome != StartAttempt.Started)
        {
            Interlocked.Increment(ref Counts.WalkedAway);
            return;
        }

        Interlocked.Increment(ref Counts.Started);
        await Task.Delay(random.Next(0, 200));
        if (await Safely(() => client.EndAsync(customerId, session), false))
        {
            Interlocked.Increment(ref Counts.Ended);
        }
        else
        {
            Interlocked.Increment(ref Counts.WalkedAway);
        }
    }

    private async Task<bool> EndWithRetries(string customerId, string session)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            if (await Safely(() => client.EndAsync(customerId, session), false))
            {
                return true;
            }

            Interlocked.Increment(ref Counts.EndRetries);
            await Task.Delay(Backoff(attempt));
        }

        return false;
    }

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Math.Min(1000, 50 * attempt));

    private static async Task<T> Safely<T>(Func<Task<T>> call, T onError)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return onError;
        }
    }
}
