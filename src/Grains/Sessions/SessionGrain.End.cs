using Microsoft.Extensions.Logging;
using UFBrowsers.Customers;
using UFBrowsers.Events;
using UFBrowsers.Grains.Billing;
using UFBrowsers.Pods;
using UFBrowsers.Queue;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Sessions;

/// <summary>Ending: the settlement in the ledger first, then this grain's state, the browser hooks, the pod and the clients.</summary>
public sealed partial class SessionGrain
{
    public Task<SessionView?> End(EndReason reason) => EndAt(reason, clock.GetUtcNow());

    public Task<SessionView?> EndOwned(string customerId, EndReason reason) =>
        S.Status == SessionStatus.New || S.Request!.CustomerId != customerId ? Task.FromResult<SessionView?>(null) : End(reason);

    /// <summary>Ends the session as of <paramref name="at"/>: a timer that fires late (after a silo restart) bills only up to its deadline.</summary>
    private async Task<SessionView?> EndAt(EndReason reason, DateTimeOffset at)
    {
        if (S.Status == SessionStatus.New)
        {
            return null;
        }

        if (S.Status == SessionStatus.Ended)
        {
            return View();
        }

        var endedAt = Min(at, S.ExpiresAt);
        // A session nobody ever connected to is charged the minimum, however long its first-connect window was.
        var owed = SessionBilling.CreditsOwed(reason == EndReason.NoClient ? TimeSpan.Zero : endedAt - S.CreatedAt);
        // The one write that ends the session: if it fails nothing has changed and the caller hears so.
        var settlement = await Customer.SettleSession(SessionId, new SessionEnd(reason, endedAt, owed, S.CreatedAt));
        RecordSettlement(settlement.Charged - S.CreditsPaid);
        Ended(settlement);
        await FinishBrowser(settlement.Reason);
        await ReleasePod(S.Pod);
        await SaveEnded();
        SlotFreed();
        metrics.SessionEnded(S.NodePool, S.EndReason!.Value);
        Publish(CustomerEventKind.SessionEnded);
        logger.LogInformation("Session {SessionId} ended ({Reason}); charged {Credits} credits", SessionId, S.EndReason, S.CreditsPaid);
        return View();
    }

    /// <summary>Applies a settlement as the ledger recorded it, and tells the connected clients why the session ended.</summary>
    private void Ended(SessionSettlement settlement)
    {
        var clients = S.Connections.Count;
        var billable = settlement.Reason == EndReason.NoClient ? TimeSpan.Zero : settlement.EndedAt - S.CreatedAt;
        S.Status = SessionStatus.Ended;
        S.EndedAt = settlement.EndedAt;
        S.EndReason = settlement.Reason;
        S.CreditsPaid = settlement.Charged;
        S.Balance = settlement.Balance;
        Record(new SessionEvent(SessionEventType.Ended, settlement.EndedAt, Clients: clients, EndReason: settlement.Reason,
            BillableSeconds: (long)Math.Ceiling(Math.Max(0, billable.TotalSeconds)), CreditsCharged: settlement.Charged));
        S.Connections.Clear();
        NotifyEnded(settlement.Reason);
        _meterTimer?.Dispose();
        _meterTimer = null;
    }

    /// <summary>
    /// The ledger holds the end already, so a failed save changes nothing the caller is told: the activation reloads, and
    /// the next one reads the end back from the ledger.
    /// </summary>
    private async Task SaveEnded()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Session {SessionId} ended and was settled but could not save that; its next activation reads the end from the ledger", SessionId);
            DeactivateOnIdle();
        }
    }

    /// <summary>Brings an active-looking state in line with the customer's record of the session, which money moves with.</summary>
    private async Task CatchUpWithLedger()
    {
        var record = await Customer.GetSessionRecord(SessionId);
        switch (record?.Status)
        {
            case SessionStatus.Active:
                return;
            case SessionStatus.Ended:
                logger.LogWarning("Session {SessionId} was settled ({Reason}) by an activation that did not save it; finishing its end", SessionId, record.EndReason);
                Ended(new SessionSettlement(record.CreditsCharged, S.Balance, record.EndReason ?? EndReason.PodLost, record.EndedAt ?? clock.GetUtcNow()));
                await ReleasePod(S.Pod);
                await SaveEnded();
                SlotFreed();
                return;
            default:
                // The start was undone (its hold refunded) after this state was written: the session never started.
                logger.LogWarning("Session {SessionId} was saved as started but its hold was refunded; it did not start", SessionId);
                var pod = S.Pod;
                state.State = new SessionState { Attempts = S.Attempts };
                await ReleasePod(pod);
                await TryWriteState("that its start was undone");
                return;
        }
    }

    private void NotifyEnded(EndReason reason)
    {
        if (_observers is null)
        {
            return;
        }

        foreach (var observer in _observers.Values.Distinct())
        {
            try
            {
                observer.SessionEnded(SessionId, reason);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Session {SessionId} could not tell an observer that it ended", SessionId);
            }
        }

        _observers = null;
    }

    private void SlotFreed(string? customerId = null)
    {
        try
        {
            GrainFactory.For<ISessionQueueGrain>(customerId ?? S.Request!.CustomerId).SlotFreed();
        }
        catch (Exception ex)
        {
            // Waiters still start: the head of the queue also tries again at the end of every wait slice.
            logger.LogWarning(ex, "Session {SessionId} could not tell the queue that a slot freed", SessionId);
        }
    }

    /// <summary>Runs every browser hook's end while the pod still lives; the session has ended and been billed whatever they do.</summary>
    private async Task FinishBrowser(EndReason reason)
    {
        if (S.Pod is not { } pod || reason is EndReason.PodLost or EndReason.PodFailed)
        {
            return;
        }

        var browser = new SessionBrowser(SessionId, S.Request!, pod);
        using var timeout = new CancellationTokenSource(hookOptions.Value.EndTimeout);
        foreach (var hook in hooks)
        {
            try
            {
                await hook.OnEndingAsync(browser, reason, timeout.Token);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Session {SessionId}: {Hook} failed at the end; the session ended and was billed regardless", SessionId, hook.GetType().Name);
            }
        }
    }

    private async Task ReleasePod(PodLease? pod)
    {
        if (pod is null)
        {
            return;
        }

        try
        {
            await GrainFactory.For<IPodPoolGrain>(pod.NodePool).Release(pod);
        }
        catch (Exception ex)
        {
            // The session still ends and bills; a pod no session claims is deleted by its pool's sweep.
            logger.LogError(ex, "Session {SessionId} could not release pod {PodId}", SessionId, pod.PodId);
        }
    }
}
