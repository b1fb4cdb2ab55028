namespace UFBrowsers.Bench.Drills;

/// <summary>How a drill's clients reach the product: grain calls on a cluster, or the HTTP API.</summary>
internal interface ISessionClient
{
    /// <summary>A new session id (or idempotency key) for <paramref name="customerId"/>; retries reuse it.</summary>
    string NewSession(string customerId);

    Task<StartAttempt> StartAsync(string customerId, string session, int timeoutSeconds);

    /// <summary>True when the session is ended (or never existed); false to try again.</summary>
    Task<bool> EndAsync(string customerId, string session);

    /// <summary>The grain key of the session a client session handle names.</summary>
    string SessionId(string customerId, string session);
}
