namespace UFBrowsers.Grains.Gateways;

/// <summary>
/// Configuration section <c>UFBrowsers:GatewayLease</c>, read by the API (which renews) and the silo (which judges): how
/// long a gateway process's lease lasts and how often the process renews it. A gateway that dies is known dead after at
/// most <see cref="LeaseSeconds"/>; its connections are dropped at its sessions' next liveness check.
/// </summary>
public sealed class GatewayLeaseOptions
{
    public const string Section = "UFBrowsers:GatewayLease";

    public int LeaseSeconds { get; set; } = 30;

    public int RenewSeconds { get; set; } = 10;

    public TimeSpan Lease => TimeSpan.FromSeconds(Math.Max(1, LeaseSeconds));

    public TimeSpan RenewInterval => TimeSpan.FromSeconds(Math.Clamp(RenewSeconds, 1, Math.Max(1, LeaseSeconds)));
}
