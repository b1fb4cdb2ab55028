using Microsoft.Extensions.Logging;
using UFBrowsers.Customers;
using UFBrowsers.Grains.Billing;
using UFBrowsers.Pods;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Sessions;

/// <summary>Metering: the minute-by-minute debits, each after a liveness check of the pod, and the timer that wakes the session.</summary>
public sealed partial class SessionGrain
{
    /// <summary>How soon a meter that failed (storage, the pool or the customer unreachable) runs again, rather than at the next reminder.</summary>
    private static readonly TimeSpan MeterRetryDelay = TimeSpan.FromSeconds(5);

    public async Task Tick(string customerId)
    {
        if (S.Status == SessionStatus.New)
        {
            // Only the customer's reminder ticks, and only sessions it holds a hold for: this one took a hold and never saved
            // its start (its silo died or its refund failed after the hold). No start runs now (the grain is not reentrant).
            var balance = await GrainFactory.For<ICustomerGrain>(customerId).CancelAdmission(SessionId);
            metrics.CreditsRefunded(SessionBilling.HoldCredits);
            SlotFreed(customerId);
            logger.LogWarning("Session {SessionId} of {CustomerId} held a credit without starting; refunded (balance {Balance})", SessionId, customerId, balance);
            return;
        }

        await Meter();
    }

    public async Task Meter()
    {
        if (S.Status != SessionStatus.Active)
        {
            return;
        }

        var pod = await CheckPod();
        if (pod == PodLiveness.Gone)
        {
            await EndAt(EndReason.PodLost, S.PodSeenAliveAt ?? S.CreatedAt);
            return;
        }

        var now = clock.GetUtcNow();
        var connectionsChanged = await DropConnectionsOfDeadGateways(now);
        if (now >= S.ExpiresAt)
        {
            await EndAt(EndReason.Timeout, KnownAliveUntil(S.ExpiresAt, pod));
            return;
        }

        if (S.FirstConnectDeadline is { } firstConnect && now >= firstConnect)
        {
            await EndAt(EndReason.NoClient, firstConnect);
            return;
        }

        if (S.IdleDeadline is { } idle && now >= idle)
        {
            await EndAt(EndReason.IdleTimeout, KnownAliveUntil(idle, pod));
            return;
        }

        if (pod == PodLiveness.Unknown)
        {
            // No minute is paid for a browser not known to be alive; ask again soon.
            if (connectionsChanged)
            {
                await WriteState();
            }

            StartMeterTimer(MeterRetryDelay);
            return;
        }

        var due = Math.Min(SessionBilling.MinutesBegun(now - S.CreatedAt), SessionBilling.MaximumCredits(S.ExpiresAt - S.CreatedAt));
        var paidBefore = S.CreditsPaid;
        // Minutes are paid by number, so a retry after a crash can never pay a minute twice.
        for (var minute = S.CreditsPaid + 1; minute <= due; minute++)
        {
            var debit = await Customer.PayMinute(SessionId, minute);
            S.Balance = debit.Balance;
            if (!debit.SessionOpen)
            {
                // Settled or cancelled in the ledger by an activation that did not live to save it.
                await CatchUpWithLedger();
                return;
            }

            if (!debit.Paid)
            {
                await End(EndReason.BalanceExhausted);
                return;
            }

            S.CreditsPaid = minute;
            metrics.CreditsCharged(1);
        }

        // Written with each minute paid, so the time the pod was last seen alive is never more than a minute stale in storage.
        if (S.CreditsPaid != paidBefore || connectionsChanged)
        {
            await WriteState();
        }

        ScheduleMeter();
    }

    public async Task PodFailed(string podId)
    {
        if (S.Status == SessionStatus.Active && S.Pod?.PodId == podId)
        {
            // A provider that watches its browsers reports a death as it happens; one that finds it late (a periodic
            // reconciler) must not bill past the last sighting by more than the check that would have found it.
            await EndAt(EndReason.PodFailed, KnownAliveUntil(clock.GetUtcNow(), PodLiveness.Unknown));
        }
    }

    /// <summary>Whether the pod is alive, asked of its pool; unknown when the pool cannot tell.</summary>
    private async Task<PodLiveness> CheckPod()
    {
        var pod = S.Pod!;
        try
        {
            var check = await GrainFactory.For<IPodPoolGrain>(pod.NodePool).CheckPod(SessionId, pod, S.PodSeenAliveAt ?? S.CreatedAt);
            if (!check.Alive)
            {
                logger.LogWarning("Session {SessionId}: pod {PodId} is gone (not alive at {At}); ending as pod_lost", SessionId, pod.PodId, check.At);
                return PodLiveness.Gone;
            }

            if (S.PodSeenAliveAt is not { } seen || check.At > seen)
            {
                S.PodSeenAliveAt = check.At;
            }

            return PodLiveness.Alive;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Session {SessionId} could not learn whether pod {PodId} is alive", SessionId, pod.PodId);
            return PodLiveness.Unknown;
        }
    }

    /// <summary>
    /// A late end while the pod's life cannot be confirmed is billed no further than one check interval past the last
    /// moment the pod was seen alive (a dead pod would have been found within that interval).
    /// </summary>
    private DateTimeOffset KnownAliveUntil(DateTimeOffset at, PodLiveness pod) =>
        pod == PodLiveness.Alive ? at : Min(at, (S.PodSeenAliveAt ?? S.CreatedAt) + timers.Value.LivenessCheckInterval);

    private void RecordSettlement(long moved)
    {
        if (moved > 0)
        {
            metrics.CreditsCharged(moved);
        }
        else
        {
            metrics.CreditsRefunded(-moved);
        }
    }

    /// <summary>Wakes the session when its next minute begins, its next liveness check is due or a deadline comes, whichever is first.</summary>
    private void ScheduleMeter()
    {
        var now = clock.GetUtcNow();
        var nextMinute = S.CreatedAt + SessionBilling.NextMinuteBoundary(now - S.CreatedAt);
        var wake = Min(nextMinute, S.ExpiresAt);
        wake = Min(wake, (S.PodSeenAliveAt ?? S.CreatedAt) + timers.Value.LivenessCheckInterval);
        wake = S.FirstConnectDeadline is { } firstConnect ? Min(wake, firstConnect) : wake;
        wake = S.IdleDeadline is { } idle ? Min(wake, idle) : wake;
        var due = wake - now;
        StartMeterTimer(due < TimeSpan.Zero ? TimeSpan.Zero : due);
    }

    private void StartMeterTimer(TimeSpan due)
    {
        _meterTimer?.Dispose();
        _meterTimer = this.RegisterGrainTimer(
            _ => MeterOrRetry(),
            new GrainTimerCreationOptions { DueTime = due, Period = Timeout.InfiniteTimeSpan, KeepAlive = true });
    }

    /// <summary>The timer is one-shot: without this, a session whose deadline passes while PostgreSQL is down stays active until the reminder.</summary>
    private async Task MeterOrRetry()
    {
        try
        {
            await Meter();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Session {SessionId} could not be metered; trying again in {Delay}", SessionId, MeterRetryDelay);
            StartMeterTimer(MeterRetryDelay);
        }
    }
}
