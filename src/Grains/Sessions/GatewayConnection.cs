namespace UFBrowsers.Grains.Sessions;

/// <summary>A client connected through a gateway process: the connection, the process (its lease), and when it connected.</summary>
[GenerateSerializer, Immutable, Alias("ufb.GatewayConnection")]
public sealed record GatewayConnection(
    [property: Id(0)] string ConnectionId,
    [property: Id(1)] string GatewayId,
    [property: Id(2)] DateTimeOffset ConnectedAt);
