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

    /// <summary>Brings billing up to now: pays the minute that has begun and ends the session at its deadline.</summary>
    [Alias("Meter")]
    Task Meter();
}
