using k8s;
using k8s.Models;
using UFBrowsers.Grains.Pods;

namespace UFBrowsers.Silo.Kubernetes;

/// <summary>Which of the pool's browser pods are alive: the liveness seam, kept apart from how pods are started.</summary>
public sealed partial class KubernetesPodProvider
{
    /// <summary>
    /// The pool's browser pods in every namespace (warm ones in the pool namespace, on-demand ones in tenants') that have not
    /// ended or begun deletion, with the session each is labelled with. One list call; an API error propagates (unknown).
    /// </summary>
    public async Task<IReadOnlyList<LivePod>> ListAliveAsync(string nodePool, CancellationToken cancellationToken)
    {
        var selector = $"{KubernetesLabels.BrowserPodSelector(_owner)},{KubernetesLabels.Pool}={KubernetesLabels.Value(nodePool)}";
        var pods = await _client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: selector, cancellationToken: cancellationToken);
        return pods.Items
            .Where(pod => pod.Status?.Phase is not ("Failed" or "Succeeded") && pod.Metadata.DeletionTimestamp is null)
            .Select(pod => new LivePod(
                PodId(pod.Metadata.NamespaceProperty, pod.Metadata.Name),
                pod.Metadata.Labels?.TryGetValue(KubernetesLabels.Session, out var session) == true ? session : null,
                pod.Metadata.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : null))
            .ToList();
    }
}
