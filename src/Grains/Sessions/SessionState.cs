using UFBrowsers.Pods;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Sessions;

[GenerateSerializer, Alias("ufb.SessionState")]
public sealed class SessionState
{
    [Id(0)]
    public SessionStatus Status { get; set; }

    [Id(1)]
    public SessionRequest? Request { get; set; }

    /// <summary>Start attempts so far; each attempt holds under its own key, so a retry after a refund holds again.</summary>
    [Id(2)]
    public int Attempts { get; set; }

    [Id(3)]
    public string NodePool { get; set; } = "";

    [Id(4)]
    public PodLease? Pod { get; set; }

    [Id(5)]
    public DateTimeOffset CreatedAt { get; set; }

    [Id(6)]
    public DateTimeOffset ExpiresAt { get; set; }

    [Id(7)]
    public DateTimeOffset? EndedAt { get; set; }

    [Id(8)]
    public EndReason? EndReason { get; set; }

    /// <summary>Credits paid so far: the hold and each minute paid as it began.</summary>
    [Id(9)]
    public long CreditsPaid { get; set; }

    [Id(10)]
    public long Balance { get; set; }
}
