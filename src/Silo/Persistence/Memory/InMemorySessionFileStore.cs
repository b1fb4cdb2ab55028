using UFBrowsers.Grains.Files;

namespace UFBrowsers.Silo.Persistence.Memory;

/// <summary>Session downloads in process memory, for tests and throwaway runs.</summary>
public sealed class InMemorySessionFileStore : ISessionFileStore
{
    private readonly Dictionary<(string Session, string Name), (StoredDownload File, byte[] Content)> _files = new();
    private readonly Lock _gate = new();

    public Task RegisterAsync(IReadOnlyList<StoredDownload> downloads, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var download in downloads)
            {
                _files.TryAdd((download.SessionId, download.Name), (download, []));
            }
        }

        return Task.CompletedTask;
    }

    public async Task<long> WriteContentAsync(string sessionId, string name, Stream content, long bytes, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (buffer.Length < bytes)
        {
            var read = await content.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, bytes - buffer.Length)), cancellationToken);
            if (read == 0)
            {
                break;
            }

            buffer.Write(chunk, 0, read);
        }

        lock (_gate)
        {
            if (!_files.TryGetValue((sessionId, name), out var entry))
            {
                throw new InvalidOperationException($"Download '{name}' of session {sessionId} was not registered.");
            }

            var stored = buffer.ToArray();
            _files[(sessionId, name)] = (entry.File with { StoredBytes = stored.LongLength, Truncated = stored.LongLength < entry.File.SizeBytes }, stored);
            return stored.LongLength;
        }
    }

    public Task<IReadOnlyList<StoredDownload>> ListAsync(string sessionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<StoredDownload>>(_files.Values.Select(f => f.File)
                .Where(f => f.SessionId == sessionId && f.ExpiresAt > now)
                .OrderBy(f => f.CompletedAt).ThenBy(f => f.Name, StringComparer.Ordinal).ToList());
        }
    }

    public Task<FileContent?> OpenAsync(string sessionId, string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_files.TryGetValue((sessionId, name), out var entry) && entry.File.ExpiresAt > now
                ? new FileContent(new MemoryStream(entry.Content, writable: false), entry.Content.LongLength)
                : null);
        }
    }

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var expired = _files.Where(f => f.Value.File.ExpiresAt <= now).Select(f => f.Key).ToList();
            expired.ForEach(key => _files.Remove(key));
            return Task.FromResult(expired.Count);
        }
    }
}
