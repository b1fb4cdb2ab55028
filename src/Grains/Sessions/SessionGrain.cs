using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UFBrowsers.Customers;
using UFBrowsers.Events;
using UFBrowsers.Grains.Customers;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Grains.Telemetry;
using UFBrowsers.Pods;
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
public sealed partial class SessionGrain(
    [PersistentState("session", StorageNames.Grains)] IPersistentState<SessionState> state,
    IOptions<PodPoolOptions> pools,
    IOptions<SessionTimerOptions> timers,
    [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock,
    IEnumerable<ISessionBrowserHook> hooks,
    IOptions<SessionBrowserHookOptions> hookOptions,
    UFBrowsersMetrics metrics,
    ILogger<SessionGrain> logger) : Grain, ISessionGrain
{
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

    public Task<SessionView?> Get() => Task.FromResult(S.Status == SessionStatus.New ? null : View());

    public Task<bool> HoldsPod(string podId) => Task.FromResult(S.Status == SessionStatus.Active && S.Pod?.PodId == podId);

    public Task<PodLease?> GetPod() => Task.FromResult(S.Status == SessionStatus.Active ? S.Pod : null);

    public Task<SessionEventLog?> GetEvents() =>
        Task.FromResult(S.Status == SessionStatus.New ? null : new SessionEventLog(S.Events.ToList(), S.EventsDropped));

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
}
