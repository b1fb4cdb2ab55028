using UFBrowsers.Sessions;

namespace UFBrowsers.Bench.Drills;

/// <summary>Sessions through grain calls from a cluster client; the session id is the idempotency handle.</summary>
internal sealed class GrainSessionClient(IGrainFactory grains) : ISessionClient
{
    public string NewSession(string customerId) => SessionIds.New();

    public string SessionId(string customerId, string session) => session;

    public async Task<StartAttempt> StartAsync(string customerId, string session, int timeoutSeconds)
    {
        var result = await grains.GetGrain<ISessionGrain>(session).Start(new SessionRequest(customerId, null, timeoutSeconds));
        return result.Outcome switch
        {
            SessionStartOutcome.Started or SessionStartOutcome.Replayed => StartAttempt.Started,
            SessionStartOutcome.NoBrowserAvailable or SessionStartOutcome.TenantNotProvisioned
                or SessionStartOutcome.ConcurrencyLimitReached => StartAttempt.Retry,
            _ => StartAttempt.Refused,
        };
    }

    public async Task<bool> EndAsync(string customerId, string session)
    {
        await grains.GetGrain<ISessionGrain>(session).End(EndReason.Client);
        return true;
    }
}
