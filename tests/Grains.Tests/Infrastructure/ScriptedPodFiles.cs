using System.Collections.Concurrent;
using UFBrowsers.Grains.Files;
using UFBrowsers.Pods;

namespace UFBrowsers.Grains.Tests.Infrastructure;

/// <summary>Pods' downloads as a test puts them there, and the uploads the pods were given; no transport.</summary>
public sealed class ScriptedPodFiles : IPodFiles
{
    public ConcurrentDictionary<string, ConcurrentDictionary<string, (byte[] Content, DateTimeOffset CompletedAt)>> Downloads { get; } = new();

    public ConcurrentDictionary<string, byte[]> Uploads { get; } = new();

    public void Add(string podId, string name, byte[] content, DateTimeOffset completedAt) =>
        Downloads.GetOrAdd(podId, _ => new())[name] = (content, completedAt);

    public Task<IReadOnlyList<PodFile>> ListDownloadsAsync(PodLease pod, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PodFile>>(Downloads.TryGetValue(pod.PodId, out var files)
            ? files.Select(f => new PodFile(f.Key, f.Value.Content.LongLength, f.Value.CompletedAt)).OrderBy(f => f.CompletedAt).ThenBy(f => f.Name, StringComparer.Ordinal).ToList()
            : []);

    public Task<FileContent?> OpenDownloadAsync(PodLease pod, string name, CancellationToken cancellationToken) =>
        Task.FromResult(Downloads.TryGetValue(pod.PodId, out var files) && files.TryGetValue(name, out var file)
            ? new FileContent(new MemoryStream(file.Content, writable: false), file.Content.LongLength)
            : null);

    public async Task<string> PutUploadAsync(PodLease pod, string name, Stream content, long length, long maxTotalBytes, CancellationToken cancellationToken)
    {
        var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken);
        var path = $"/uploads/{pod.PodId}/{name}";
        Uploads[path] = copy.ToArray();
        return path;
    }
}
