using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using UFBrowsers.Gateways;

namespace UFBrowsers.Grains.Gateways;

/// <summary>
/// A gateway process's lease, in memory only: renewals come every few seconds, so a write per renewal would be all cost.
/// A new activation (its silo died) cannot know when the gateway was last heard from, so it grants one full lease from its
/// own start; a live gateway renews within that, a dead one is known dead one lease later.
/// </summary>
public sealed class GatewayLeaseGrain(
    IOptions<GatewayLeaseOptions> options,
    [FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock) : Grain, IGatewayLeaseGrain
{
    private DateTimeOffset _expiresAt;
    private DateTimeOffset? _lastRenewedAt;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _expiresAt = clock.GetUtcNow() + options.Value.Lease;
        return Task.CompletedTask;
    }

    public Task Renew(TimeSpan duration)
    {
        var now = clock.GetUtcNow();
        _lastRenewedAt = now;
        _expiresAt = now + (duration > TimeSpan.Zero ? duration : options.Value.Lease);
        return Task.CompletedTask;
    }

    public Task<GatewayLease> Get() => Task.FromResult(new GatewayLease(clock.GetUtcNow() < _expiresAt, _expiresAt, _lastRenewedAt));
}
