using UFBrowsers.Grains.Pods;
using UFBrowsers.Pods;

namespace UFBrowsers.Silo.Pods;

/// <summary>Reports a pod that died on its own to the pool grain that owns it.</summary>
public sealed class GrainPodLossReporter(IGrainFactory grains) : IPodLossReporter
{
    public Task ReportLostAsync(PodLease pod) =>
        grains.For<IPodPoolGrain>(pod.NodePool).ReportPodLost(pod.PodId);
}
