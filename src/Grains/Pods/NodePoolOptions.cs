namespace UFBrowsers.Grains.Pods;

public sealed class NodePoolOptions
{
    /// <summary>How many ready browsers the pool keeps waiting for sessions.</summary>
    public int WarmTarget { get; set; } = 2;

    /// <summary>How many pods of this pool (warm, starting and assigned) may exist at once on this silo's provider.</summary>
    public int MaxPods { get; set; } = 20;
}
