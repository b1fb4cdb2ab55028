using System.Collections.Concurrent;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Pods;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Bench.Drills;

/// <summary>
/// Fake pods that fail a share of starts and kill a share of the browsers handed to sessions a moment later,
/// reporting each killed one as the real adapters do.
/// </summary>
internal sealed class FlakyPodProvider(FakePodProvider pods, IPodLossReporter losses, double failShare, double killShare) : IPodProvider
{
    private long _failed;

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Killed pods and the session each served.</summary>
    public ConcurrentDictionary<string, string> Killed { get; } = new(StringComparer.Ordinal);

    public async Task<PodLease> CreateAsync(string nodePool, CancellationToken cancellationToken, PodAssignment? assignment = null)
    {
        if (Random.Shared.NextDouble() < failShare)
        {
            Interlocked.Increment(ref _failed);
            throw new InvalidOperationException("drill: pod failed to start");
        }

        var pod = await pods.CreateAsync(nodePool, cancellationToken, assignment);
        if (assignment is not null)
        {
            MaybeKill(pod, assignment);
        }

        return pod;
    }

    public async Task AssignAsync(PodLease pod, PodAssignment assignment, CancellationToken cancellationToken)
    {
        await pods.AssignAsync(pod, assignment, cancellationToken);
        MaybeKill(pod, assignment);
    }

    public Task DeleteAsync(PodLease pod, CancellationToken cancellationToken) => pods.DeleteAsync(pod, cancellationToken);

    public Task<IReadOnlyList<LivePod>> ListAliveAsync(string nodePool, CancellationToken cancellationToken) => pods.ListAliveAsync(nodePool, cancellationToken);

    private void MaybeKill(PodLease pod, PodAssignment assignment)
    {
        if (Random.Shared.NextDouble() >= killShare)
        {
            return;
        }

        Killed[pod.PodId] = assignment.SessionId;
        _ = Task.Run(async () =>
        {
            await Task.Delay(Random.Shared.Next(20, 150));
            await pods.DeleteAsync(pod, CancellationToken.None);
            await losses.ReportLostAsync(pod);
        });
    }
}
