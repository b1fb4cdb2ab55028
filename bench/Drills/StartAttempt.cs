namespace UFBrowsers.Bench.Drills;

/// <summary>What one try to start a session came to, from the client's side.</summary>
internal enum StartAttempt
{
    Started,

    /// <summary>The server said no for good (no credit, limit): retrying the same request cannot help.</summary>
    Refused,

    /// <summary>An error, a 5xx or no answer: the client tries again with the same session id.</summary>
    Retry,
}
