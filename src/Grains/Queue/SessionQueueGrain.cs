using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using UFBrowsers.Grains.Telemetry;
using UFBrowsers.Queue;

namespace UFBrowsers.Grains.Queue;

/// <summary>
/// One customer's waiting session requests, in order. Reentrant so that waits (bounded long-polls) never block
/// joins, leaves or wake-ups; every change happens between awaits. The version counts the events that may let the
/// head start (a slot freed, the head changed), so a head that failed to start just before a slot freed is not lost:
/// it waits only for a version newer than the one it saw before trying. Its length feeds the queue-depth metric (per silo)
/// and the cluster's count behind the pressure endpoint (<see cref="IQueuePressureGrain"/>).
/// </summary>
[Reentrant]
public sealed class SessionQueueGrain(
    IOptions<SessionQueueOptions> options,
    [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock,
    UFBrowsersMetrics metrics) : Grain, ISessionQueueGrain
{
    private readonly List<Waiter> _waiters = [];
    private TaskCompletionSource _changed = NewSignal();
    private long _version;
    private int _reported;

    /// <summary>A waiter that outlived its deadline by this much lost its request (a crashed API process) and is dropped.</summary>
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromSeconds(5);

    public Task<QueuePlace> Enter(QueueTicket ticket, bool wait)
    {
        DropAbandoned();
        if (IndexOf(ticket.Id) >= 0)
        {
            return Task.FromResult(PlaceOf(ticket.Id));
        }

        if (!wait)
        {
            return Task.FromResult(new QueuePlace(_waiters.Count == 0 ? QueuePlaceOutcome.Go : QueuePlaceOutcome.Busy, 0, _waiters.Count, _version));
        }

        if (_waiters.Count >= options.Value.MaxWaitersPerCustomer)
        {
            return Task.FromResult(new QueuePlace(QueuePlaceOutcome.Full, 0, _waiters.Count, _version));
        }

        _waiters.Add(new Waiter(ticket, clock.GetUtcNow()));
        LengthChanged();
        // A new head may try at once: the version it is handed is older than the queue's.
        return Task.FromResult(_waiters.Count == 1
            ? new QueuePlace(QueuePlaceOutcome.Go, 1, 1, _version)
            : PlaceOf(ticket.Id));
    }

    public async Task<QueuePlace> Wait(string ticketId, long seenVersion, TimeSpan slice)
    {
        var until = clock.GetUtcNow() + slice;
        while (true)
        {
            DropAbandoned();
            var place = PlaceOf(ticketId);
            if (place.Outcome == QueuePlaceOutcome.Unknown || place.Position == 1 && _version > seenVersion)
            {
                return place with { Outcome = place.Outcome == QueuePlaceOutcome.Unknown ? QueuePlaceOutcome.Unknown : QueuePlaceOutcome.Go };
            }

            var left = until - clock.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return place;
            }

            try
            {
                // Orleans' own timer clock bounds the wait, not the product clock that tests move.
                await _changed.Task.WaitAsync(left, TimeProvider.System);
            }
            catch (TimeoutException)
            {
                return PlaceOf(ticketId);
            }
        }
    }

    public Task Leave(string ticketId)
    {
        var index = IndexOf(ticketId);
        if (index >= 0)
        {
            _waiters.RemoveAt(index);
            if (index == 0)
            {
                _version++;
            }

            Signal();
        }

        return Task.CompletedTask;
    }

    public Task SlotFreed()
    {
        _version++;
        Signal();
        return Task.CompletedTask;
    }

    public Task<QueueSnapshot> Snapshot()
    {
        DropAbandoned();
        return Task.FromResult(new QueueSnapshot(
            options.Value.MaxWaitersPerCustomer,
            _waiters.Select((w, i) => new QueuedRequest(i + 1, w.Ticket.Id, w.Ticket.IdempotencyKey, w.EnqueuedAt, w.Ticket.Deadline)).ToList()));
    }

    private void DropAbandoned()
    {
        var now = clock.GetUtcNow();
        var headDropped = _waiters.Count > 0 && _waiters[0].Ticket.Deadline + AbandonedAfter < now;
        if (_waiters.RemoveAll(w => w.Ticket.Deadline + AbandonedAfter < now) > 0)
        {
            if (headDropped)
            {
                _version++;
            }

            Signal();
        }
    }

    private QueuePlace PlaceOf(string ticketId)
    {
        var index = IndexOf(ticketId);
        return index < 0
            ? new QueuePlace(QueuePlaceOutcome.Unknown, 0, _waiters.Count, _version)
            : new QueuePlace(QueuePlaceOutcome.Waiting, index + 1, _waiters.Count, _version);
    }

    private int IndexOf(string ticketId) => _waiters.FindIndex(w => w.Ticket.Id == ticketId);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _waiters.Clear();
        LengthChanged();
        return Task.CompletedTask;
    }

    /// <summary>Tells the metric and the cluster's count when the number of waiters moved.</summary>
    private void LengthChanged()
    {
        if (_waiters.Count == _reported)
        {
            return;
        }

        metrics.QueueChanged(_waiters.Count - _reported);
        _reported = _waiters.Count;
        var countsUntil = _waiters.Count == 0 ? clock.GetUtcNow() : _waiters.Max(w => w.Ticket.Deadline) + AbandonedAfter;
        _ = GrainFactory.GetGrain<IQueuePressureGrain>(0).Report(this.GetPrimaryKeyString(), _waiters.Count, countsUntil);
    }

    /// <summary>Wakes every wait; each looks again at its own position (the queue is bounded and small).</summary>
    private void Signal()
    {
        LengthChanged();
        var changed = _changed;
        _changed = NewSignal();
        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record Waiter(QueueTicket Ticket, DateTimeOffset EnqueuedAt);
}
