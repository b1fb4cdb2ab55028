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

/// <summary>
/// One browser session from request to bill. Its life is tied to its browser's: at every liveness check it asks its
/// pool whether the pod is alive, pays a minute only after a check that saw it alive, and ends as <c>pod_lost</c>,
/// billed up to the last check that saw it alive, when it is gone.
/// </summary>
/// <remarks>
/// Money moves in the customer's ledger, always before this grain writes its own state, and each ledger write carries
/// what this grain would need to finish after a crash: the hold opens the customer's record of the session (a start that
/// never saved is refunded when the customer's reminder ticks it), and the settlement writes the end's reason and time
/// with the final charge (an end that never saved is read back at the next activation). So a crash between two writes
/// leaves the ledger ahead, and the next activation catches up from it.
/// </remarks>
public sealed class SessionGrain(
    [PersistentState("session", StorageNames.Grains)] IPersistentState<SessionState> state,
    IOptions<PodPoolOptions> pools,
    IOptions<SessionTimerOptions> timers,
    [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock,
    IEnumerable<ISessionBrowserHook> hooks,
    IOptions<SessionBrowserHookOptions> hookOptions,
    UFBrowsersMetrics metrics,
    ILogger<SessionGrain> logger) : Grain, ISessionGrain
{
    /// <summary>How soon a meter that failed (storage, the pool or the customer unreachable) runs again, rather than at the next reminder.</summary>
    private static readonly TimeSpan MeterRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Wakes the session at its next minute, liveness check or deadline while this activation lives. The durable wake-up,
    /// should the silo die, is the customer's reminder, which ticks each of its active sessions (see <see cref="CustomerGrain"/>).
    /// </summary>
    private IGrainTimer? _meterTimer;

    /// <summary>Who to tell when the session ends, by connection. In memory only: after a move to another silo the gateway still learns of the end when the pod's socket closes.</summary>
    /// <remarks>Created by the first connection: most of a silo's sessions at any moment have none yet.</remarks>
    private Dictionary<string, ISessionObserver>? _observers;

    /// <summary>The leases of the gateways this session's clients are connected through; made by the first check with connections.</summary>
    private GatewayLeases? _gateways;

    private SessionState S => state.State;

    private string SessionId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Status == SessionStatus.Active)
        {
            // The last activation may have settled the session, or had its start undone, without living to save that.
            await CatchUpWithLedger();
        }

        if (S.Status == SessionStatus.Active)
        {
            ScheduleMeter();
        }
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

    public Task<SessionView?> Get() => Task.FromResult(S.Status == SessionStatus.New ? null : View());

    public Task<SessionView?> End(EndReason reason) => EndAt(reason, clock.GetUtcNow());

    public Task<SessionView?> EndOwned(string customerId, EndReason reason) =>
        S.Status == SessionStatus.New || S.Request!.CustomerId != customerId ? Task.FromResult<SessionView?>(null) : End(reason);

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

    public Task<bool> HoldsPod(string podId) => Task.FromResult(S.Status == SessionStatus.Active && S.Pod?.PodId == podId);

    public async Task<SessionConnection> Connect(string connectionId, string gatewayId, ISessionObserver observer)
    {
        if (S.Status != SessionStatus.Active)
        {
            return new SessionConnection(S.Status, S.EndReason, null);
        }

        (_observers ??= new Dictionary<string, ISessionObserver>(StringComparer.Ordinal))[connectionId] = observer;
        if (!S.Connections.Exists(c => c.ConnectionId == connectionId))
        {
            var now = clock.GetUtcNow();
            S.Connections.Add(new GatewayConnection(connectionId, gatewayId, now));
            S.FirstConnectDeadline = null;
            S.IdleSince = null;
            Record(new SessionEvent(SessionEventType.Connected, now, connectionId, S.Connections.Count));
            await WriteState();
            ScheduleMeter();
        }

        return new SessionConnection(SessionStatus.Active, null, S.Pod);
    }

    public async Task Disconnect(string connectionId)
    {
        _observers?.Remove(connectionId);
        if (S.Status != SessionStatus.Active || S.Connections.RemoveAll(c => c.ConnectionId == connectionId) == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        if (S.Connections.Count == 0)
        {
            S.IdleSince = now;
        }

        Record(new SessionEvent(SessionEventType.Disconnected, now, connectionId, S.Connections.Count));
        await WriteState();
        ScheduleMeter();
    }

    public Task<PodLease?> GetPod() => Task.FromResult(S.Status == SessionStatus.Active ? S.Pod : null);

    public Task<SessionEventLog?> GetEvents() =>
        Task.FromResult(S.Status == SessionStatus.New ? null : new SessionEventLog(S.Events.ToList(), S.EventsDropped));

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

    /// <summary>
    /// Drops the connections of gateway processes whose lease ran out: that process is gone and its clients with it. When
    /// the last connection goes, the idle clock starts from the last moment the gateway was heard from.
    /// </summary>
    private async Task<bool> DropConnectionsOfDeadGateways(DateTimeOffset now)
    {
        if (S.Connections.Count == 0)
        {
            return false;
        }

        var expired = await (_gateways ??= new GatewayLeases(GrainFactory, logger)).ExpiredAsync(S.Connections.Select(c => c.GatewayId), now);
        foreach (var (gatewayId, lease) in expired)
        {
            foreach (var connection in S.Connections.Where(c => c.GatewayId == gatewayId).ToList())
            {
                var lastSeen = Min(Max(connection.ConnectedAt, lease.LastRenewedAt ?? connection.ConnectedAt), now);
                S.Connections.Remove(connection);
                _observers?.Remove(connection.ConnectionId);
                if (S.Connections.Count == 0)
                {
                    S.IdleSince = lastSeen;
                }

                Record(new SessionEvent(SessionEventType.Disconnected, lastSeen, connection.ConnectionId, S.Connections.Count));
            }

            logger.LogWarning("Session {SessionId}: gateway {GatewayId} stopped renewing its lease; its connections are gone", SessionId, gatewayId);
        }

        return expired.Count > 0;
    }

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

    private ICustomerGrain Customer => GrainFactory.For<ICustomerGrain>(S.Request!.CustomerId);

    /// <summary>Saves state that is only an optimisation of what the ledger already says; a failure is logged, not thrown.</summary>
    private async Task TryWriteState(string what)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Session {SessionId} could not save {What}", SessionId, what);
            DeactivateOnIdle();
        }
    }

    /// <summary>Saves state; on failure the activation reloads from storage rather than go on from what it could not save.</summary>
    private async Task WriteState()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
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

    private SessionView View()
    {
        var end = S.EndedAt ?? Min(clock.GetUtcNow(), S.ExpiresAt);
        return new SessionView(
            SessionId, S.Request!.CustomerId, S.Status, S.NodePool, S.Pod?.CdpWebSocketUrl, S.CreatedAt, S.ExpiresAt,
            S.EndedAt, S.EndReason, (long)(end - S.CreatedAt).TotalMilliseconds, S.CreditsPaid, S.Balance,
            S.FirstConnectDeadline, S.IdleTimeoutSeconds, S.Connections.Count);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

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
