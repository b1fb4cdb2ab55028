using UFBrowsers.Grains.Pods;
using UFBrowsers.Pods;
using UFBrowsers.TestSupport;
using UFBrowsers.TestSupport.Faults;

namespace UFBrowsers.Cluster.Tests.Infrastructure;

/// <summary>One silo's view of a fake pod provider that may be shared by every silo: faults fire here, naming the silo they ran on.</summary>
internal sealed class SiloPodProvider(FakePodProvider pods, FaultPlan faults, string silo) : IPodProvider
{
    public async Task<PodLease> CreateAsync(string nodePool, CancellationToken cancellationToken, PodAssignment? assignment = null)
    {
        await faults.BeforeAsync(FaultSteps.PodCreate, nodePool, silo);
        var pod = await pods.CreateAsync(nodePool, cancellationToken, assignment);
        await faults.AfterAsync(FaultSteps.PodCreate, nodePool, silo);
        return pod;
    }

    public async Task AssignAsync(PodLease pod, PodAssignment assignment, CancellationToken cancellationToken)
    {
        await pods.AssignAsync(pod, assignment, cancellationToken);
        await faults.AfterAsync(FaultSteps.PodAssign, assignment.SessionId, silo);
    }

    public async Task DeleteAsync(PodLease pod, CancellationToken cancellationToken)
    {
        await faults.BeforeAsync(FaultSteps.PodDelete, pod.PodId, silo);
        await pods.DeleteAsync(pod, cancellationToken);
    }

    public Task<IReadOnlyList<LivePod>> ListAliveAsync(string nodePool, CancellationToken cancellationToken) => pods.ListAliveAsync(nodePool, cancellationToken);
}
