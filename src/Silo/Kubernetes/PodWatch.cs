using k8s;
using k8s.Autorest;
using k8s.Models;

namespace UFBrowsers.Silo.Kubernetes;

/// <summary>
/// Follows one pod through the API server's watch (<c>?watch=true</c>, one JSON line per ADDED/MODIFIED/DELETED event)
/// from a resourceVersion on, instead of polling it. A watch the server ends is resumed from the last version seen; one it
/// refuses (an ERROR event, e.g. 410 Gone when that version is too old) starts again from a fresh read.
/// </summary>
internal static class PodWatch
{
    /// <summary>Each state of the pod after <paramref name="pod"/>, starting with <paramref name="pod"/> itself; null once it is deleted.</summary>
    public static async IAsyncEnumerable<V1Pod?> Follow(
        IKubernetes client, V1Pod pod, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (ns, name) = (pod.Metadata.NamespaceProperty, pod.Metadata.Name);
        yield return pod;
        var version = pod.Metadata.ResourceVersion;
        while (!cancellationToken.IsCancellationRequested)
        {
            Exception? refused = null;
            var events = client.CoreV1.WatchListNamespacedPodAsync(
                ns, fieldSelector: $"metadata.name={name}", resourceVersion: version, timeoutSeconds: 60,
                onError: ex => refused = ex, cancellationToken: cancellationToken);
            await foreach (var (type, changed) in events)
            {
                if (type == WatchEventType.Deleted)
                {
                    yield return null;
                    yield break;
                }

                if (type is WatchEventType.Added or WatchEventType.Modified && changed.Metadata.Name == name)
                {
                    version = changed.Metadata.ResourceVersion;
                    yield return changed;
                }
            }

            if (refused is not null)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
                V1Pod? current;
                try
                {
                    current = await client.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: cancellationToken);
                }
                catch (HttpOperationException ex) when (ex.IsNotFound())
                {
                    current = null;
                }

                if (current is null)
                {
                    yield return null;
                    yield break;
                }

                version = current.Metadata.ResourceVersion;
                yield return current;
            }
        }
    }
}
