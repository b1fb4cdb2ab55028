namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>What each process the provider starts for a pod is for.</summary>
internal static class PodProcessRoles
{
    /// <summary>The browser: the sandbox's launcher (which becomes bubblewrap and then Chromium), or Chromium itself without a sandbox.</summary>
    public const string Browser = "browser";

    /// <summary>slirp4netns: the sandbox's user-mode network.</summary>
    public const string Network = "network";

    /// <summary>socat: the DevTools bridge from the pod's Unix socket into its network namespace.</summary>
    public const string Bridge = "bridge";
}
