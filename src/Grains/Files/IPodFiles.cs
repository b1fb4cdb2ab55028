using UFBrowsers.Pods;

namespace UFBrowsers.Grains.Files;

/// <summary>
/// Files in and out of a session's browser pod: the downloads the browser made (in the lease's
/// <see cref="PodLease.DownloadsDirectory"/>) and the uploads a client gives it. Each pod provider has its own transport
/// (local: the pod's directory on this machine; Kubernetes: a small endpoint of the browser image's bridge).
/// </summary>
public interface IPodFiles
{
    /// <summary>Completed downloads, oldest first. Partial ones (<c>.crdownload</c>), directories and links are not listed.</summary>
    Task<IReadOnlyList<PodFile>> ListDownloadsAsync(PodLease pod, CancellationToken cancellationToken);

    /// <summary>A completed download by name; null when there is none by that name.</summary>
    Task<FileContent?> OpenDownloadAsync(PodLease pod, string name, CancellationToken cancellationToken);

    /// <summary>
    /// Puts <paramref name="length"/> bytes under <paramref name="name"/> (a checked plain file name) where the browser can read
    /// it, in a directory of its own; returns the path the browser sees, for <c>DOM.setFileInputFiles</c>.
    /// </summary>
    /// <exception cref="UploadSpaceExhaustedException">The session's uploads would exceed <paramref name="maxTotalBytes"/>.</exception>
    Task<string> PutUploadAsync(PodLease pod, string name, Stream content, long length, long maxTotalBytes, CancellationToken cancellationToken);
}
