namespace UFBrowsers.Api.Gateway;

/// <summary>
/// This gateway process: an id new at every start, under which its connections are registered with their sessions and
/// its lease is renewed. A restarted process is another gateway; the dead one's connections go with its lease.
/// </summary>
public sealed class GatewayInstance
{
    public string Id { get; } = "gw_" + Guid.NewGuid().ToString("N");
}
