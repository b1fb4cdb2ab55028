using UFBrowsers.Pods;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>Starts a pod's processes (sandboxed or not) and says how its DevTools is reached.</summary>
internal interface IPodLauncher
{
    /// <summary>Creates the pod's directory and starts its processes, attaching each to the pod as soon as it runs.</summary>
    Task LaunchAsync(LocalChromiumPod pod, BrowserLaunch browser, CancellationToken cancellationToken);

    /// <summary>The pod's lease once its DevTools answers; null while it does not yet.</summary>
    Task<PodLease?> TryLeaseAsync(LocalChromiumPod pod, CancellationToken cancellationToken);

    /// <summary>Called once DevTools answers.</summary>
    void Started(LocalChromiumPod pod);
}
