using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Pods;
using UFBrowsers.Sessions;

namespace UFBrowsers.Silo.Kubernetes;

/// <summary>
/// Periodically compares the browser pods in the cluster with what the pools and sessions believe:
/// <list type="bullet">
/// <item>a pod a pool knows that is gone or has ended is reported lost to the pool, which ends its session as pod_failed
/// (billed for the time used);</item>
/// <item>a pod labelled with a session that is ended or unknown is deleted;</item>
/// <item>an unassigned pod that no pool knows (left by a crashed silo) is deleted.</item>
/// </list>
/// Pods younger than the grace period are left alone: a pod being started is not known to its pool yet.
/// </summary>
public sealed class KubernetesPodReconciler(
    IKubernetes client,
    IGrainFactory grains,
    IOptions<PodPoolOptions> pools,
    IOptions<KubernetesReconcilerOptions> options,
    IOptions<KubernetesOptions> cluster,
    TimeProvider clock,
    ILogger<KubernetesPodReconciler> logger) : BackgroundService
{
    public async Task<ReconcileReport> ReconcileOnceAsync(CancellationToken cancellationToken)
    {
        // Inventories first: every pod they name was created before this list is taken, so a pod missing from the list is gone.
        var inventories = await Task.WhenAll(pools.Value.EffectivePools().Keys.Select(pool => grains.For<IPodPoolGrain>(pool).GetInventory()));
        var listed = await client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: KubernetesLabels.BrowserPodSelector(cluster.Value.Owner), cancellationToken: cancellationToken);
        var pods = listed.Items.ToDictionary(p => KubernetesPodProvider.PodId(p.Metadata.NamespaceProperty, p.Metadata.Name), StringComparer.Ordinal);

        var lost = new List<string>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var inventory in inventories)
        {
            foreach (var podId in inventory.Ready.Concat(inventory.AssignedToSession.Keys))
            {
                known.Add(podId);
                if (!pods.TryGetValue(podId, out var pod) || HasEnded(pod))
                {
                    logger.LogWarning("Browser pod {PodId} of pool {NodePool} is gone; reporting it lost", podId, inventory.NodePool);
                    await grains.For<IPodPoolGrain>(inventory.NodePool).ReportPodLost(podId);
                    lost.Add(podId);
                }
            }
        }

        var orphans = new List<string>();
        var now = clock.GetUtcNow();
        foreach (var (podId, pod) in pods)
        {
            if (known.Contains(podId) || pod.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }

            var created = pod.Metadata.CreationTimestamp is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : now;
            if (now - created < options.Value.GracePeriod || !await IsOrphanAsync(pod))
            {
                continue;
            }

            logger.LogWarning("Deleting orphaned browser pod {PodId}", podId);
            await DeleteAsync(pod, cancellationToken);
            orphans.Add(podId);
        }

        return new ReconcileReport(orphans, lost);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var report = await ReconcileOnceAsync(stoppingToken);
                if (report.DeletedOrphans.Count + report.ReportedLost.Count > 0)
                {
                    logger.LogInformation("Reconciled browser pods: {Orphans} orphans deleted, {Lost} lost pods reported", report.DeletedOrphans.Count, report.ReportedLost.Count);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Reconciling browser pods failed; trying again in {Interval}", options.Value.Interval);
            }
        }
    }

    private static bool HasEnded(V1Pod pod) => pod.Status?.Phase is "Failed" or "Succeeded" || pod.Metadata.DeletionTimestamp is not null;

    /// <summary>A pod no pool knows is an orphan unless it serves a session that is still active.</summary>
    private async Task<bool> IsOrphanAsync(V1Pod pod)
    {
        if (HasEnded(pod) || pod.Metadata.Labels?.TryGetValue(KubernetesLabels.Session, out var sessionId) is not true)
        {
            return true;
        }

        var session = await grains.For<ISessionGrain>(sessionId).Get();
        return session is null || session.Status != SessionStatus.Active;
    }

    private async Task DeleteAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.IsNotFound())
        {
            // Deleted by someone else meanwhile.
        }
    }
}
