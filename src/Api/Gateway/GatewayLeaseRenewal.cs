using Microsoft.Extensions.Options;
using UFBrowsers.Gateways;
using UFBrowsers.Grains.Gateways;

namespace UFBrowsers.Api.Gateway;

/// <summary>
/// Renews this gateway process's lease while it runs, whether the API shares a process with a silo or is an Orleans
/// client of a cluster. Nothing is done when the process stops: its connections close (and disconnect) with it, and
/// should it die instead, the lease runs out and the sessions drop its connections. Should the process live but fail to
/// renew for a whole lease (cut off from the cluster), its sessions may have dropped its connections: once it renews
/// again it registers every connection it still has, so their sessions count them again.
/// </summary>
internal sealed class GatewayLeaseRenewal(
    IGrainFactory grains,
    GatewayInstance gateway,
    SessionEndNotifier notifier,
    IOptions<GatewayLeaseOptions> options,
    ILogger<GatewayLeaseRenewal> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lease = grains.For<IGatewayLeaseGrain>(gateway.Id);
        using var timer = new PeriodicTimer(options.Value.RenewInterval);
        var renewedAt = DateTime.UtcNow;
        do
        {
            try
            {
                await lease.Renew(options.Value.Lease);
                if (DateTime.UtcNow - renewedAt > options.Value.Lease)
                {
                    var accepted = await notifier.RegisterAllAsync(gateway.Id);
                    logger.LogWarning("Gateway {GatewayId} renewed its lease after it had lapsed and registered its {Connections} connections again", gateway.Id, accepted);
                }

                renewedAt = DateTime.UtcNow;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Gateway {GatewayId} could not renew its lease; trying again in {Interval}", gateway.Id, options.Value.RenewInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
