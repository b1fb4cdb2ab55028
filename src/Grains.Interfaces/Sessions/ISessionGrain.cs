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

    /// <summary>Brings billing up to now: pays the minute that has begun and ends the session at its deadline.</summary>
    [Alias("Meter")]
    Task Meter();

    /// <summary>
    /// A client is connecting through the gateway. Accepted only while the session is active; the observer is told
    /// when the session ends. Connecting stops the first-connect and idle clocks.
    /// </summary>
    [Alias("Connect")]
    Task<SessionConnection> Connect(string connectionId, ISessionObserver observer);

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
