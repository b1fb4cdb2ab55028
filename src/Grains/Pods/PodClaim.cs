using UFBrowsers.Pods;

namespace UFBrowsers.Grains.Pods;

/// <summary>A pod handed to a session, and when the session last claimed it (was handed it, or asked whether it is alive).</summary>
internal sealed record PodClaim(PodLease Pod, string SessionId, DateTimeOffset ClaimedAt);
