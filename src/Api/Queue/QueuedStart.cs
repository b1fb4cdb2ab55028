using Microsoft.Extensions.Options;
using UFBrowsers.Grains;
using UFBrowsers.Grains.Queue;
using UFBrowsers.Grains.Telemetry;
using UFBrowsers.Queue;
using UFBrowsers.Sessions;

namespace UFBrowsers.Api.Queue;

/// <summary>
/// Starts a session, waiting in the customer's FIFO queue for a slot when asked to. The HTTP request waits; no grain
/// call does: it long-polls the queue grain in slices well under Orleans' response timeout. Only the head of the
/// queue tries to start, when a slot frees (pushed by the ending session) and, as a safety net, after every slice.
/// A request that never started was never charged: holds are taken only by a start that is admitted.
/// </summary>
public sealed class QueuedStart(IGrainFactory grains, IOptions<SessionQueueOptions> options, [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock)
{
    public async Task<QueuedStartResult> StartAsync(SessionRequest request, string sessionId, string? idempotencyKey, int waitSeconds, CancellationToken aborted)
    {
        var session = grains.For<ISessionGrain>(sessionId);
        // A retry of a session that already started is answered at once, whoever is waiting.
        if (idempotencyKey is not null && await session.Get() is not null)
        {
            return new QueuedStartResult(await Start(session, request), null, 0);
        }

        var queue = grains.For<ISessionQueueGrain>(request.CustomerId);
        var wait = waitSeconds > 0;
        var ticket = new QueueTicket(sessionId, idempotencyKey, clock.GetUtcNow() + TimeSpan.FromSeconds(waitSeconds));
        QueuePlace place;
        using (UFBrowsersTracing.Start(UFBrowsersTracing.Spans.Queue))
        {
            place = await queue.Enter(ticket, wait);
        }

        if (place.Outcome is QueuePlaceOutcome.Full or QueuePlaceOutcome.Busy)
        {
            return new QueuedStartResult(null, place.Outcome == QueuePlaceOutcome.Full ? QueueRefusal.QueueFull : QueueRefusal.OthersWaiting, place.Length);
        }

        try
        {
            var slice = TimeSpan.FromSeconds(Math.Max(1, options.Value.PollSliceSeconds));
            while (true)
            {
                if (place.Outcome == QueuePlaceOutcome.Go)
                {
                    var result = await Start(session, request);
                    if (result.Outcome != SessionStartOutcome.ConcurrencyLimitReached || !wait)
                    {
                        return new QueuedStartResult(result, null, place.Length);
                    }
                }

                var left = ticket.Deadline - clock.GetUtcNow();
                if (left <= TimeSpan.Zero || aborted.IsCancellationRequested)
                {
                    return new QueuedStartResult(null, aborted.IsCancellationRequested ? QueueRefusal.ClientGone : QueueRefusal.WaitElapsed, place.Length);
                }

                // The version seen before the last try: a slot freed during that try wakes this wait at once.
                place = await queue.Wait(sessionId, place.Version, left < slice ? left : slice);
                if (place.Outcome == QueuePlaceOutcome.Unknown)
                {
                    // The queue's activation was lost (it lives in memory): take a place again.
                    place = await queue.Enter(ticket, wait: true);
                    if (place.Outcome == QueuePlaceOutcome.Full)
                    {
                        return new QueuedStartResult(null, QueueRefusal.QueueFull, place.Length);
                    }
                }
                else if (place.Position == 1)
                {
                    place = place with { Outcome = QueuePlaceOutcome.Go };
                }
            }
        }
        finally
        {
            if (wait)
            {
                await queue.Leave(sessionId);
            }
        }
    }

    private static async Task<SessionStartResult> Start(ISessionGrain session, SessionRequest request)
    {
        using var span = UFBrowsersTracing.Start(UFBrowsersTracing.Spans.Start);
        return await session.Start(request);
    }
}
