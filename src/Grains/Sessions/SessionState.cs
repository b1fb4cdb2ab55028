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

    /// <summary>Set until the first client connects; reaching it ends the session as no_client.</summary>
    [Id(11)]
    public DateTimeOffset? FirstConnectDeadline { get; set; }

    /// <summary>0: no idle timeout.</summary>
    [Id(12)]
    public int IdleTimeoutSeconds { get; set; }

    /// <summary>When the last client left (or the session started without a first-connect deadline); null while a client is connected.</summary>
    [Id(13)]
    public DateTimeOffset? IdleSince { get; set; }

    // Id 14 held the connection ids without their gateway: do not reuse it.

    [Id(15)]
    public List<SessionEvent> Events { get; set; } = [];

    [Id(16)]
    public int EventsDropped { get; set; }

    /// <summary>The last moment the session's pod was known alive (a liveness check, or the hand-out); a lost pod is billed up to here.</summary>
    [Id(17)]
    public DateTimeOffset? PodSeenAliveAt { get; set; }

    /// <summary>The gateway connections open now, each with the gateway process that holds it.</summary>
    [Id(18)]
    public List<GatewayConnection> Connections { get; set; } = [];

    public DateTimeOffset? IdleDeadline =>
        IdleTimeoutSeconds > 0 && IdleSince is { } since && Connections.Count == 0 ? since + TimeSpan.FromSeconds(IdleTimeoutSeconds) : null;
}
