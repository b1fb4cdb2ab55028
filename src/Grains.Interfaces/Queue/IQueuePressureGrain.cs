using Orleans.Concurrency;

namespace UFBrowsers.Queue;

/// <summary>
/// How many session requests wait in customers' queues, cluster-wide (one activation, key 0). Each customer's queue
/// reports its length when it changes, with the moment its last waiter gives up: a report not renewed by then (its
/// silo died with its waiters) no longer counts.
/// </summary>
[Alias("ufb.IQueuePressureGrain")]
public interface IQueuePressureGrain : IGrainWithIntegerKey
{
    [OneWay, Alias("Report")]
    Task Report(string customerId, int waiting, DateTimeOffset countsUntil);

    [AlwaysInterleave, Alias("GetWaiting")]
    Task<int> GetWaiting();
}
