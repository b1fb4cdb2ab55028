namespace UFBrowsers.Sessions;

/// <summary>
/// A session as its owner sees it. <see cref="ConnectUrl"/> is the pod's own DevTools endpoint, for the gateway:
/// customers are given the gateway's URL instead.
/// </summary>
[GenerateSerializer, Immutable, Alias("ufb.SessionView")]
public sealed record SessionView(
    [property: Id(0)] string Id,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] SessionStatus Status,
    [property: Id(3)] string NodePool,
    [property: Id(4)] string? ConnectUrl,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset ExpiresAt,
    [property: Id(7)] DateTimeOffset? EndedAt,
    [property: Id(8)] EndReason? EndReason,
    [property: Id(9)] long DurationMs,
    [property: Id(10)] long CreditsCharged,
    [property: Id(11)] long Balance,
    [property: Id(12)] DateTimeOffset? FirstConnectDeadline = null,
    [property: Id(13)] int IdleTimeoutSeconds = 0,
    [property: Id(14)] int ConnectedClients = 0);
