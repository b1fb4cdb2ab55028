using UFBrowsers.Pods;

namespace UFBrowsers.Sessions;

/// <summary>The session's answer to a client connecting: the pod to relay to while it is active, or why not.</summary>
[GenerateSerializer, Immutable, Alias("ufb.SessionConnection")]
public sealed record SessionConnection(
    [property: Id(0)] SessionStatus Status,
    [property: Id(1)] EndReason? EndReason,
    [property: Id(2)] PodLease? Pod)
{
    public bool Accepted => Status == SessionStatus.Active && Pod is not null;
}
