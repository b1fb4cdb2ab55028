using UFBrowsers.Pods;

namespace UFBrowsers.Grains.Pods;

/// <summary>Where a pod provider reports a browser that died on its own (not deleted by its pool).</summary>
public interface IPodLossReporter
{
    Task ReportLostAsync(PodLease pod);
}
