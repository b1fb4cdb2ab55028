namespace UFBrowsers.Gateways;

/// <summary>
/// A gateway process's lease: alive until <see cref="ExpiresAt"/>; <see cref="LastRenewedAt"/> is the last moment it was
/// heard from (null when this activation of the lease never heard from it: its connections are then gone as of when they
/// were made or last seen).
/// </summary>
[GenerateSerializer, Immutable, Alias("ufb.GatewayLease")]
public sealed record GatewayLease(
    [property: Id(0)] bool Alive,
    [property: Id(1)] DateTimeOffset ExpiresAt,
    [property: Id(2)] DateTimeOffset? LastRenewedAt);
