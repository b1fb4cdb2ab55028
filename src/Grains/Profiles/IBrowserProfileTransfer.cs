using UFBrowsers.Pods;

namespace UFBrowsers.Grains.Profiles;

/// <summary>
/// Moves profile state into and out of a session's browser (implemented over the control plane's own CDP connection, so it
/// works with every pod provider).
/// </summary>
public interface IBrowserProfileTransfer
{
    /// <summary>Puts the state into a fresh browser: cookies first, then each origin's localStorage.</summary>
    Task RestoreAsync(PodLease pod, ProfileState state, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the browser's state: all cookies, and the localStorage of the origins of <paramref name="previous"/> (the state
    /// the session started from), of the origins its open pages and frames show, and of the origins its cookies belong to.
    /// An origin of <paramref name="previous"/> that cannot be read keeps its previous items.
    /// </summary>
    Task<ProfileState> CaptureAsync(PodLease pod, ProfileState previous, CancellationToken cancellationToken);
}
