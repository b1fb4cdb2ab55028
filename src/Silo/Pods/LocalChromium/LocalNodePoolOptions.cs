namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// <c>UFBrowsers:LocalChromium:NodePools:&lt;pool&gt;</c>: the browser of one node pool. A pool without an entry gets the
/// provider's <see cref="LocalChromiumOptions.Build"/>, <see cref="LocalChromiumOptions.ExecutablePath"/> and
/// <see cref="LocalChromiumOptions.ExtraArguments"/>. Its warm target stays in <c>UFBrowsers:Pods:NodePools:&lt;pool&gt;</c>,
/// shared with every provider.
/// </summary>
public sealed class LocalNodePoolOptions
{
    /// <summary>This pool's browser build; unset, the provider's.</summary>
    public BrowserBuild? Build { get; set; }

    /// <summary>This pool's binary; unset, the build's usual install location (or the provider's path when the pool names no build).</summary>
    public string? ExecutablePath { get; set; }

    /// <summary>Added after the provider's <see cref="LocalChromiumOptions.ExtraArguments"/>.</summary>
    public List<string> ExtraArguments { get; set; } = [];
}
