namespace UFBrowsers.Gateways;

/// <summary>
/// The lease of one gateway process (key: the process's gateway id, new at every start). The process renews it while it
/// runs; when it stops renewing (it died, or lost the cluster), the lease runs out and sessions drop the connections that
/// process registered, so their idle clocks run again. Works the same whether the API runs inside a silo or as a separate
/// Orleans client.
/// </summary>
[Alias("ufb.IGatewayLeaseGrain")]
public interface IGatewayLeaseGrain : IGrainWithStringKey
{
    /// <summary>The gateway is alive for <paramref name="duration"/> from now.</summary>
    [Alias("Renew")]
    Task Renew(TimeSpan duration);

    /// <summary>Whether the gateway is alive, until when, and when it was last heard from.</summary>
    [Alias("Get")]
    Task<GatewayLease> Get();
}
