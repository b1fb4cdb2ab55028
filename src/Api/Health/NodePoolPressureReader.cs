using Microsoft.Extensions.Options;
using UFBrowsers.Api.Contracts;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Pods;
using UFBrowsers.Queue;

namespace UFBrowsers.Api.Health;

/// <summary>Asks every configured node pool's grain how much it can still serve, and the cluster how many requests wait.</summary>
internal sealed class NodePoolPressureReader(IGrainFactory grains, IOptions<PodPoolOptions> pools)
{
    public async Task<IReadOnlyList<NodePoolPressure>> Read() =>
        await Task.WhenAll(pools.Value.EffectivePools().Select(async pool =>
            NodePoolPressure.From(await grains.For<IPodPoolGrain>(pool.Key).GetStatus(), pool.Value.MaxPods)));

    /// <summary>Requests waiting in customers' queues for a concurrency slot, cluster-wide.</summary>
    public Task<int> WaitingForConcurrency() => grains.GetGrain<IQueuePressureGrain>(0).GetWaiting();
}
