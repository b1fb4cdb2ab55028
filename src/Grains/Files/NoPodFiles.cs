using UFBrowsers.Pods;

namespace UFBrowsers.Grains.Files;

/// <summary>For pod providers with no file transport (test fakes): no downloads, and uploads are refused.</summary>
public sealed class NoPodFiles : IPodFiles
{
    public Task<IReadOnlyList<PodFile>> ListDownloadsAsync(PodLease pod, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PodFile>>([]);

    public Task<FileContent?> OpenDownloadAsync(PodLease pod, string name, CancellationToken cancellationToken) =>
        Task.FromResult<FileContent?>(null);

    public Task<string> PutUploadAsync(PodLease pod, string name, Stream content, long length, long maxTotalBytes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This pod provider cannot put files into its browsers.");
}
