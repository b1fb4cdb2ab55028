using Microsoft.Extensions.Logging;
using UFBrowsers.Customers;
using UFBrowsers.Events;
using UFBrowsers.Grains.Billing;
using UFBrowsers.Grains.Telemetry;
using UFBrowsers.Pods;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Sessions;

/// <summary>Starting: admission, a pod, the browser hooks, and the started state saved before the answer.</summary>
public sealed partial class SessionGrain
{
    public async Task<SessionStartResult> Start(SessionRequest request)
    {
        var startedAt = clock.GetTimestamp();
        var result = await StartSession(request);
        metrics.SessionStartAnswered(clock.GetElapsedTime(startedAt), result.Outcome);
        return result;
    }

    private async Task<SessionStartResult> StartSession(SessionRequest request)
    {
        if (S.Status != SessionStatus.New)
        {
            return S.Request == request
                ? new SessionStartResult(SessionStartOutcome.Replayed, View(), S.Balance, 0, 0)
                : new SessionStartResult(SessionStartOutcome.IdempotencyConflict, null, 0, 0, 0,
                    "This Idempotency-Key was already used for a different request.");
        }

        var nodePool = request.NodePool ?? pools.Value.DefaultNodePool;
        if (!pools.Value.EffectivePools().ContainsKey(nodePool))
        {
            return new SessionStartResult(SessionStartOutcome.UnknownNodePool, null, 0, 0, 0,
                $"Unknown node pool '{nodePool}'. Known pools: {string.Join(", ", pools.Value.EffectivePools().Keys)}.");
        }

        var customer = GrainFactory.For<ICustomerGrain>(request.CustomerId);
        SessionAdmission admission;
        using (UFBrowsersTracing.Start(UFBrowsersTracing.Spans.Admission))
        {
            admission = await customer.AdmitSession(SessionId, S.Attempts + 1);
        }

        if (!admission.IsAdmitted)
        {
            return new SessionStartResult(ToOutcome(admission.Outcome), null, admission.Balance, admission.ConcurrencyLimit, admission.SessionsInUse);
        }

        // From here until the state below is saved, a crash leaves a hold without a started session: the customer's
        // reminder ticks this session, finds it New and refunds the hold (see Tick).
        var pod = await AcquirePod(nodePool, request.CustomerId);
        if (pod is null)
        {
            S.Attempts = admission.Attempt;
            var balance = await customer.CancelAdmission(SessionId);
            metrics.CreditsRefunded(SessionBilling.HoldCredits);
            await TryWriteState("its count of start attempts");
            return new SessionStartResult(SessionStartOutcome.NoBrowserAvailable, null, balance, admission.ConcurrencyLimit, admission.SessionsInUse - 1,
                "No browser could be started; the hold was refunded.");
        }

        if (await PrepareBrowser(request, pod) is { } refusal)
        {
            S.Attempts = admission.Attempt;
            var balance = await customer.CancelAdmission(SessionId);
            metrics.CreditsRefunded(SessionBilling.HoldCredits);
            await ReleasePod(pod);
            await TryWriteState("its count of start attempts");
            return new SessionStartResult(refusal.Outcome, null, balance, admission.ConcurrencyLimit, admission.SessionsInUse - 1, refusal.Message);
        }

        var now = clock.GetUtcNow();
        var maxLifetime = TimeSpan.FromMinutes(admission.MaxSessionMinutes);
        var lifetime = request.TimeoutSeconds is { } seconds && TimeSpan.FromSeconds(seconds) < maxLifetime
            ? TimeSpan.FromSeconds(seconds)
            : maxLifetime;

        S.Attempts = admission.Attempt;
        S.Request = request;
        S.Status = SessionStatus.Active;
        S.NodePool = nodePool;
        S.Pod = pod;
        S.PodSeenAliveAt = now;
        S.CreatedAt = now;
        S.ExpiresAt = now + lifetime;
        S.CreditsPaid = SessionBilling.HoldCredits;
        S.Balance = admission.Balance;
        var firstConnect = request.FirstConnectSeconds ?? timers.Value.FirstConnectTimeoutSeconds;
        S.FirstConnectDeadline = firstConnect > 0 ? now + TimeSpan.FromSeconds(firstConnect) : null;
        S.IdleTimeoutSeconds = request.IdleTimeoutSeconds ?? timers.Value.IdleTimeoutSeconds;
        S.IdleSince = S.FirstConnectDeadline is null ? now : null;
        Record(new SessionEvent(SessionEventType.Created, now));
        try
        {
            using var span = UFBrowsersTracing.Start(UFBrowsersTracing.Spans.StateWrite);
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            await UndoStart(customer, pod, ex);
            throw;
        }

        ScheduleMeter();
        metrics.CreditsHeld(SessionBilling.HoldCredits);
        metrics.SessionStarted(nodePool);
        Publish(CustomerEventKind.SessionStarted);
        logger.LogInformation("Session {SessionId} of {CustomerId} started on pod {PodId}", SessionId, request.CustomerId, pod.PodId);
        return new SessionStartResult(SessionStartOutcome.Started, View(), S.Balance, admission.ConcurrencyLimit, admission.SessionsInUse);
    }

    /// <summary>
    /// The started state could not be saved, so the caller is told the start failed: the hold is refunded and the pod
    /// released, and the activation reloads. Should the save have been written after all, the next activation finds no
    /// record of the session in the ledger and undoes it (<see cref="CatchUpWithLedger"/>).
    /// </summary>
    private async Task UndoStart(ICustomerGrain customer, PodLease pod, Exception cause)
    {
        logger.LogWarning(cause, "Session {SessionId} could not save its start; refunding its hold and releasing pod {PodId}", SessionId, pod.PodId);
        DeactivateOnIdle();
        try
        {
            await customer.CancelAdmission(SessionId);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Session {SessionId} could not refund its hold now; the customer's reminder will", SessionId);
        }

        await ReleasePod(pod);
    }

    /// <summary>Runs every browser hook's start on the new pod; null when all passed, else why the start is refused.</summary>
    private async Task<SessionStartRefusedException?> PrepareBrowser(SessionRequest request, PodLease pod)
    {
        using var span = UFBrowsersTracing.Start(UFBrowsersTracing.Spans.BrowserHooks);
        var browser = new SessionBrowser(SessionId, request, pod);
        using var timeout = new CancellationTokenSource(hookOptions.Value.StartTimeout);
        foreach (var hook in hooks)
        {
            try
            {
                await hook.OnStartingAsync(browser, timeout.Token);
            }
            catch (SessionStartRefusedException refused)
            {
                logger.LogInformation("Session {SessionId} refused by {Hook}: {Detail}", SessionId, hook.GetType().Name, refused.Message);
                return refused;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Session {SessionId}: {Hook} could not prepare pod {PodId}", SessionId, hook.GetType().Name, pod.PodId);
                return new SessionStartRefusedException(SessionStartOutcome.NoBrowserAvailable, "The browser could not be prepared; the hold was refunded.");
            }
        }

        return null;
    }

    private async Task<PodLease?> AcquirePod(string nodePool, string customerId)
    {
        try
        {
            using var span = UFBrowsersTracing.Start(UFBrowsersTracing.Spans.PoolAcquire);
            return await GrainFactory.For<IPodPoolGrain>(nodePool).Acquire(SessionId, customerId);
        }
        catch (Exception ex)
        {
            // A pod handed out whose answer was lost is unclaimed: the pool asks this session, hears no, and deletes it.
            logger.LogWarning(ex, "Session {SessionId} could not get a pod from pool {NodePool}", SessionId, nodePool);
            return null;
        }
    }

    private static SessionStartOutcome ToOutcome(SessionAdmissionOutcome outcome) => outcome switch
    {
        SessionAdmissionOutcome.UnknownCustomer => SessionStartOutcome.UnknownCustomer,
        SessionAdmissionOutcome.SubscriptionInactive => SessionStartOutcome.SubscriptionInactive,
        SessionAdmissionOutcome.InsufficientCredit => SessionStartOutcome.InsufficientCredit,
        SessionAdmissionOutcome.TenantNotProvisioned => SessionStartOutcome.TenantNotProvisioned,
        SessionAdmissionOutcome.ConcurrencyLimitReached => SessionStartOutcome.ConcurrencyLimitReached,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };
}
