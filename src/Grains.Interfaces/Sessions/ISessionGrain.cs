using UFBrowsers.Pods;

namespace UFBrowsers.Sessions;

/// <summary>
/// One browser session from request to bill (key: session id). It serialises the hold, the minutes,
/// the final charge, the deadline and the release of its pod.
/// </summary>
[Alias("ufb.ISessionGrain")]
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>Admits, holds a credit and takes a pod. Calling it again for a started session replays the result.</summary>
    [Alias("Start")]
    Task<SessionStartResult> Start(SessionRequest request);

    /// <summary>The session, or null when it never started.</summary>
    [Alias("Get")]
    Task<SessionView?> Get();

    /// <summary>Ends and bills the session; ending an ended session changes nothing. Null when it never started.</summary>
    [Alias("End")]
    Task<SessionView?> End(EndReason reason);

    /// <summary>
    /// Ends the session as <see cref="End"/> does, but only when it belongs to <paramref name="customerId"/>: null when it
    /// never started or is another customer's, which is then left running. One call where the API would otherwise read
    /// the session to check its owner first.
    /// </summary>
    [Alias("EndOwned")]
    Task<SessionView?> EndOwned(string customerId, EndReason reason);

    /// <summary>
    /// Brings the session up to now: checks that its browser is alive (ending it as pod_lost when it is not) and its
    /// clients' gateways still run, pays the minute that has begun, and ends it at its deadline.
    /// </summary>
    [Alias("Meter")]
    Task Meter();

    /// <summary>
    /// The customer's reminder: meters a running session, or, when the session never saved its start (its start was
    /// abandoned after the hold: a crash, or a refund that failed), refunds the hold it took from <paramref name="customerId"/>.
    /// </summary>
    [Alias("Tick")]
    Task Tick(string customerId);

    /// <summary>Its pool saw the session's pod die: ends the session as pod_failed, if that pod is still the session's.</summary>
    [Alias("PodFailed")]
    Task PodFailed(string podId);

    /// <summary>Whether the session is running on this pod (the pool asks before deleting a pod nobody claimed).</summary>
    [Alias("HoldsPod")]
    Task<bool> HoldsPod(string podId);

    /// <summary>
    /// A client is connecting through the gateway process <paramref name="gatewayId"/> (its lease says whether the process
    /// still runs). Accepted only while the session is active; the observer is told when the session ends. Connecting stops
    /// the first-connect and idle clocks.
    /// </summary>
    [Alias("Connect")]
    Task<SessionConnection> Connect(string connectionId, string gatewayId, ISessionObserver observer);

    /// <summary>A client's connection closed; when it was the last one, the idle clock starts.</summary>
    [Alias("Disconnect")]
    Task Disconnect(string connectionId);

    /// <summary>The pod of an active session (for the gateway's HTTP discovery), else null.</summary>
    [Alias("GetPod")]
    Task<PodLease?> GetPod();

    /// <summary>What happened to the session, oldest first; null when it never started.</summary>
    [Alias("GetEvents")]
    Task<SessionEventLog?> GetEvents();
}
