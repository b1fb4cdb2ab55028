using Microsoft.Extensions.Options;
using UFBrowsers.Gateways;
using UFBrowsers.Grains.Gateways;

namespace UFBrowsers.Api.Gateway;

/// <summary>
/// Renews this gateway process's lease while it runs, whether the API shares a process with a silo or is an Orleans
/// client of a cluster. Nothing is done when the process stops: its connections close (and disconnect) with it, and
/// should it die instead, the lease runs out and the sessions drop its connections.
/// </summary>
internal sealed class GatewayLeaseRenewal(
    IGrainFactory grains,
    GatewayInstance gateway,
    IOptions<GatewayLeaseOptions> options,
    ILogger<GatewayLeaseRenewal> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lease = grains.For<IGatewayLeaseGrain>(gateway.Id);
        using var timer = new PeriodicTimer(options.Value.RenewInterval);
        do
        {
            try
            {
                await lease.Renew(options.Value.Lease);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Sessions may drop this gateway's connections if this goes on for a whole lease; the clients stay connected.
                logger.LogWarning(ex, "Gateway {GatewayId} could not renew its lease; trying again in {Interval}", gateway.Id, options.Value.RenewInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
