using Microsoft.Extensions.DependencyInjection;
using UFBrowsers.Queue;

namespace UFBrowsers.Grains.Queue;

/// <summary>The queues' lengths as each last reported them; kept in memory (lost waiters are lost requests, not money).</summary>
public sealed class QueuePressureGrain([FromKeyedServices(UFBrowsersClock.Key)] TimeProvider clock) : Grain, IQueuePressureGrain
{
    private readonly Dictionary<string, (int Waiting, DateTimeOffset CountsUntil)> _queues = new(StringComparer.Ordinal);

    public Task Report(string customerId, int waiting, DateTimeOffset countsUntil)
    {
        if (waiting > 0)
        {
            _queues[customerId] = (waiting, countsUntil);
        }
        else
        {
            _queues.Remove(customerId);
        }

        return Task.CompletedTask;
    }

    public Task<int> GetWaiting()
    {
        var now = clock.GetUtcNow();
        foreach (var stale in _queues.Where(q => q.Value.CountsUntil < now).Select(q => q.Key).ToList())
        {
            _queues.Remove(stale);
        }

        return Task.FromResult(_queues.Values.Sum(q => q.Waiting));
    }
}
