namespace UFBrowsers.Grains.Sessions;

/// <summary>What a session's liveness check learned about its pod.</summary>
internal enum PodLiveness
{
    Alive,
    Gone,
    /// <summary>The pool or its provider could not tell: not a reason to end, nor to pay a minute.</summary>
    Unknown,
}
