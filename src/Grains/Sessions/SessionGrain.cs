using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UFBrowsers.Customers;
using UFBrowsers.Events;
using UFBrowsers.Grains.Billing;
using UFBrowsers.Grains.Customers;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Grains.Telemetry;
using UFBrowsers.Pods;
using UFBrowsers.Queue;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Sessions;

public sealed class SessionGrain(
    [PersistentState("session", StorageNames.Grains)] IPersistentState<SessionState> state,
    IOptions<PodPoolOptions> pools,
    IOptions<SessionTimerOptions> timers,
    [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock,
    UFBrowsersMetrics metrics,
    ILogger<SessionGrain> logger) : Grain, ISessionGrain
{
    /// <summary>How soon a meter that failed (storage or the customer unreachable) runs again, rather than at the next reminder a minute on.</summary>
    private static readonly TimeSpan MeterRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Wakes the session at its next minute or deadline while this activation lives. The durable wake-up, should the silo
    /// die, is the customer's reminder, which meters each of its active sessions (see <see cref="CustomerGrain"/>).
    /// </summary>
    private IGrainTimer? _meterTimer;

    /// <summary>Who to tell when the session ends, by connection. In memory only: after a move to another silo the gateway still learns of the end when the pod's socket closes.</summary>
    /// <remarks>Created by the first connection: most of a silo's sessions at any moment have none yet.</remarks>
    private Dictionary<string, ISessionObserver>? _observers;

    private SessionState S => state.State;

    private string SessionId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Status == SessionStatus.Active)
        {
            ScheduleMeter();
        }

        return Task.CompletedTask;
    }

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

        var attempt = S.Attempts + 1;
        var customer = GrainFactory.For<ICustomerGrain>(request.CustomerId);
        var admission = await customer.AdmitSession(SessionId, $"{SessionId}:hold:{attempt}");
        if (!admission.IsAdmitted)
        {
            return new SessionStartResult(ToOutcome(admission.Outcome), null, admission.Balance, admission.ConcurrencyLimit, admission.SessionsInUse);
        }

        var pod = await AcquirePod(nodePool, request.CustomerId);
        if (pod is null)
        {
            var balance = await customer.CancelAdmission(SessionId, $"{SessionId}:refund:{attempt}");
            metrics.CreditsRefunded(SessionBilling.HoldCredits);
            S.Attempts = attempt;
            await state.WriteStateAsync();
            return new SessionStartResult(SessionStartOutcome.NoBrowserAvailable, null, balance, admission.ConcurrencyLimit, admission.SessionsInUse - 1,
                "No browser could be started; the hold was refunded.");
        }

        var now = clock.GetUtcNow();
        var maxLifetime = TimeSpan.FromMinutes(admission.MaxSessionMinutes);
        var lifetime = request.TimeoutSeconds is { } seconds && TimeSpan.FromSeconds(seconds) < maxLifetime
            ? TimeSpan.FromSeconds(seconds)
            : maxLifetime;

        S.Attempts = attempt;
        S.Request = request;
        S.Status = SessionStatus.Active;
        S.NodePool = nodePool;
        S.Pod = pod;
        S.CreatedAt = now;
        S.ExpiresAt = now + lifetime;
        S.CreditsPaid = SessionBilling.HoldCredits;
        S.Balance = admission.Balance;
        var firstConnect = request.FirstConnectSeconds ?? timers.Value.FirstConnectTimeoutSeconds;
        S.FirstConnectDeadline = firstConnect > 0 ? now + TimeSpan.FromSeconds(firstConnect) : null;
        S.IdleTimeoutSeconds = request.IdleTimeoutSeconds ?? timers.Value.IdleTimeoutSeconds;
        S.IdleSince = S.FirstConnectDeadline is null ? now : null;
        Record(new SessionEvent(SessionEventType.Created, now));
        await state.WriteStateAsync();
        ScheduleMeter();
        metrics.CreditsHeld(SessionBilling.HoldCredits);
        metrics.SessionStarted(nodePool);
        Publish(CustomerEventKind.SessionStarted);
        logger.LogInformation("Session {SessionId} of {CustomerId} started on pod {PodId}", SessionId, request.CustomerId, pod.PodId);
        return new SessionStartResult(SessionStartOutcome.Started, View(), S.Balance, admission.ConcurrencyLimit, admission.SessionsInUse);
    }

    public Task<SessionView?> Get() => Task.FromResult(S.Status == SessionStatus.New ? null : View());

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
        var billable = reason == EndReason.NoClient ? TimeSpan.Zero : endedAt - S.CreatedAt;
        var owed = SessionBilling.CreditsOwed(billable);
        NotifyEnded(reason);
        var settlement = await Customer.SettleSession(SessionId, owed, $"{SessionId}:settle");
        await ReleasePod();
        RecordSettlement(settlement.Moved - S.CreditsPaid);

        S.Status = SessionStatus.Ended;
        S.EndedAt = endedAt;
        S.EndReason = reason;
        S.CreditsPaid = settlement.Moved;
        S.Balance = settlement.Balance;
        Record(new SessionEvent(SessionEventType.Ended, endedAt, Clients: S.Connections.Count, EndReason: reason,
            BillableSeconds: (long)Math.Ceiling(billable.TotalSeconds), CreditsCharged: settlement.Moved));
        S.Connections.Clear();
        await state.WriteStateAsync();
        SlotFreed();
        _meterTimer?.Dispose();
        _meterTimer = null;
        metrics.SessionEnded(S.NodePool, reason);
        Publish(CustomerEventKind.SessionEnded);
        logger.LogInformation("Session {SessionId} ended ({Reason}); charged {Credits} credits", SessionId, reason, settlement.Moved);
        return View();
    }

    public async Task Meter()
    {
        if (S.Status != SessionStatus.Active)
        {
            return;
        }

        var now = clock.GetUtcNow();
        if (now >= S.ExpiresAt)
        {
            await End(EndReason.Timeout);
            return;
        }

        if (S.FirstConnectDeadline is { } firstConnect && now >= firstConnect)
        {
            await EndAt(EndReason.NoClient, firstConnect);
            return;
        }

        if (S.IdleDeadline is { } idle && now >= idle)
        {
            await EndAt(EndReason.IdleTimeout, idle);
            return;
        }

        var due = Math.Min(SessionBilling.MinutesBegun(now - S.CreatedAt), SessionBilling.MaximumCredits(S.ExpiresAt - S.CreatedAt));
        var paidBefore = S.CreditsPaid;
        // Minutes are paid by number, so a retry after a crash can never pay a minute twice.
        for (var minute = S.CreditsPaid + 1; minute <= due; minute++)
        {
            var debit = await Customer.PayMinute(SessionId, minute);
            S.Balance = debit.Balance;
            if (!debit.Paid)
            {
                await End(EndReason.BalanceExhausted);
                return;
            }

            S.CreditsPaid = minute;
            metrics.CreditsCharged(1);
        }

        if (S.CreditsPaid != paidBefore)
        {
            await state.WriteStateAsync();
        }

        ScheduleMeter();
    }

    public async Task<SessionConnection> Connect(string connectionId, ISessionObserver observer)
    {
        if (S.Status != SessionStatus.Active)
        {
            return new SessionConnection(S.Status, S.EndReason, null);
        }

        (_observers ??= new Dictionary<string, ISessionObserver>(StringComparer.Ordinal))[connectionId] = observer;
        if (!S.Connections.Contains(connectionId))
        {
            S.Connections.Add(connectionId);
            S.FirstConnectDeadline = null;
            S.IdleSince = null;
            Record(new SessionEvent(SessionEventType.Connected, clock.GetUtcNow(), connectionId, S.Connections.Count));
            await state.WriteStateAsync();
            ScheduleMeter();
        }

        return new SessionConnection(SessionStatus.Active, null, S.Pod);
    }

    public async Task Disconnect(string connectionId)
    {
        _observers?.Remove(connectionId);
        if (S.Status != SessionStatus.Active || !S.Connections.Remove(connectionId))
        {
            return;
        }

        var now = clock.GetUtcNow();
        if (S.Connections.Count == 0)
        {
            S.IdleSince = now;
        }

        Record(new SessionEvent(SessionEventType.Disconnected, now, connectionId, S.Connections.Count));
        await state.WriteStateAsync();
        ScheduleMeter();
    }

    public Task<PodLease?> GetPod() => Task.FromResult(S.Status == SessionStatus.Active ? S.Pod : null);

    public Task<SessionEventLog?> GetEvents() =>
        Task.FromResult(S.Status == SessionStatus.New ? null : new SessionEventLog(S.Events.ToList(), S.EventsDropped));

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

    /// <summary>Tells the customer's listeners (the console) without waiting: a missing listener never holds up billing.</summary>
    private void Publish(CustomerEventKind kind) =>
        _ = GrainFactory.For<ICustomerEventsGrain>(S.Request!.CustomerId).Publish(new CustomerEvent(kind, View(), clock.GetUtcNow()));

    private void Record(SessionEvent sessionEvent)
    {
        // The created event stays first; the oldest connect/disconnect events make room.
        if (S.Events.Count >= Math.Max(2, timers.Value.MaxEvents))
        {
            S.Events.RemoveAt(1);
            S.EventsDropped++;
        }

        S.Events.Add(sessionEvent);
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

    private void SlotFreed()
    {
        try
        {
            GrainFactory.For<ISessionQueueGrain>(S.Request!.CustomerId).SlotFreed();
        }
        catch (Exception ex)
        {
            // Waiters still start: the head of the queue also tries again at the end of every wait slice.
            logger.LogWarning(ex, "Session {SessionId} could not tell the queue that a slot freed", SessionId);
        }
    }

    private ICustomerGrain Customer => GrainFactory.For<ICustomerGrain>(S.Request!.CustomerId);

    private async Task<PodLease?> AcquirePod(string nodePool, string customerId)
    {
        try
        {
            return await GrainFactory.For<IPodPoolGrain>(nodePool).Acquire(SessionId, customerId);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Session {SessionId} could not get a pod from pool {NodePool}", SessionId, nodePool);
            return null;
        }
    }

    private async Task ReleasePod()
    {
        if (S.Pod is not { } pod)
        {
            return;
        }

        try
        {
            await GrainFactory.For<IPodPoolGrain>(pod.NodePool).Release(pod.PodId);
        }
        catch (Exception ex)
        {
            // The session still ends and bills; a pod that could not be released is found by the reconciler.
            logger.LogError(ex, "Session {SessionId} could not release pod {PodId}", SessionId, pod.PodId);
        }
    }

    /// <summary>Wakes the session when its next minute begins or its deadline comes, whichever is first.</summary>
    private void ScheduleMeter()
    {
        var now = clock.GetUtcNow();
        var nextMinute = S.CreatedAt + SessionBilling.NextMinuteBoundary(now - S.CreatedAt);
        var wake = Min(nextMinute, S.ExpiresAt);
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

    private SessionView View()
    {
        var end = S.EndedAt ?? Min(clock.GetUtcNow(), S.ExpiresAt);
        return new SessionView(
            SessionId, S.Request!.CustomerId, S.Status, S.NodePool, S.Pod?.CdpWebSocketUrl, S.CreatedAt, S.ExpiresAt,
            S.EndedAt, S.EndReason, (long)(end - S.CreatedAt).TotalMilliseconds, S.CreditsPaid, S.Balance,
            S.FirstConnectDeadline, S.IdleTimeoutSeconds, S.Connections.Count);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

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
