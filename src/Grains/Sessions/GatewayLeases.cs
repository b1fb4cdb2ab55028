using Microsoft.Extensions.Logging;
using UFBrowsers.Gateways;

namespace UFBrowsers.Grains.Sessions;

/// <summary>
/// A session's view of the gateway processes its clients are connected through: which have let their lease run out.
/// A lease seen alive is not asked about again until it would expire, so a connected session costs about one call per lease.
/// </summary>
internal sealed class GatewayLeases(IGrainFactory grains, ILogger logger)
{
    private readonly Dictionary<string, DateTimeOffset> _aliveUntil = new(StringComparer.Ordinal);

    /// <summary>The gateways among <paramref name="gatewayIds"/> whose lease has run out, with it; a lease that cannot be read counts as alive.</summary>
    public async Task<IReadOnlyList<(string GatewayId, GatewayLease Lease)>> ExpiredAsync(IEnumerable<string> gatewayIds, DateTimeOffset now)
    {
        var expired = new List<(string, GatewayLease)>();
        foreach (var gatewayId in gatewayIds.Distinct(StringComparer.Ordinal).ToList())
        {
            if (_aliveUntil.TryGetValue(gatewayId, out var until) && now < until)
            {
                continue;
            }

            try
            {
                var lease = await grains.For<IGatewayLeaseGrain>(gatewayId).Get();
                if (lease.Alive)
                {
                    _aliveUntil[gatewayId] = lease.ExpiresAt;
                }
                else
                {
                    _aliveUntil.Remove(gatewayId);
                    expired.Add((gatewayId, lease));
                }
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not read the lease of gateway {GatewayId}", gatewayId);
            }
        }

        return expired;
    }
}
