using System.Collections.Concurrent;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Pods;

namespace UFBrowsers.TestSupport;

public sealed class RecordingLossReporter : IPodLossReporter
{
    private readonly ConcurrentQueue<PodLease> _reported = new();

    public IReadOnlyList<PodLease> Reported => _reported.ToArray();

    public Task ReportLostAsync(PodLease pod)
    {
        _reported.Enqueue(pod);
        return Task.CompletedTask;
    }
}
