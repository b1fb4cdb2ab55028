namespace UFBrowsers.Grains.Pods;

/// <summary>
/// A provider's hint of how many more pods its machine holds now, beside those it runs: the local provider divides the
/// memory available by a pod's memory limit. A provider without such a limit of its own (Kubernetes, where the cluster
/// autoscaler adds nodes) registers none, and pools are then bounded by their <see cref="NodePoolOptions.MaxPods"/> alone.
/// </summary>
public interface IPodCapacity
{
    /// <summary>How many more pods of <paramref name="nodePool"/> could start now; null when this capacity does not bound that pool.</summary>
    int? Room(string nodePool);

    /// <summary>How many launches of <paramref name="nodePool"/> to run at once when its options do not say; null: no opinion.</summary>
    int? ParallelStarts(string nodePool) => null;
}
