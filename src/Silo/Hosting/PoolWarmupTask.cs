using Microsoft.Extensions.Options;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Pods;

namespace UFBrowsers.Silo.Hosting;

/// <summary>Starts every configured pool filling up as the silo starts, so the first session finds a warm browser.</summary>
internal sealed class PoolWarmupTask(IGrainFactory grains, IOptions<PodPoolOptions> options) : IStartupTask
{
    public Task Execute(CancellationToken cancellationToken) =>
        Task.WhenAll(options.Value.EffectivePools().Keys.Select(pool => grains.For<IPodPoolGrain>(pool).Warm()));
}
