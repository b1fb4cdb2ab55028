using UFBrowsers.Grains.Recordings;

namespace UFBrowsers.Silo.Persistence.Memory;

/// <summary>Recordings in process memory, with the same rules as PostgreSQL's: for tests and throwaway runs only.</summary>
public sealed class InMemoryRecordingStore : IRecordingStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (RecordingInfo Info, List<RecordingChunk> Chunks)> _recordings = new(StringComparer.Ordinal);

    public Task BeginAsync(RecordingStart start, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _recordings.TryAdd(start.SessionId, (new RecordingInfo(start.SessionId, start.CustomerId, start.StartedAt, null, false, 0, 0, 0, start.ExpiresAt), []));
        }

        return Task.CompletedTask;
    }

    public Task<RecordingAppend> AppendAsync(string sessionId, RecordingChunk chunk, long maxBytes, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_recordings.TryGetValue(sessionId, out var recording) || recording.Info.EndedAt is not null || recording.Info.Truncated)
            {
                return Task.FromResult(RecordingAppend.Closed);
            }

            var info = recording.Info;
            if (info.BytesStored + chunk.Events.Length > maxBytes)
            {
                _recordings[sessionId] = (info with { Truncated = true }, recording.Chunks);
                return Task.FromResult(RecordingAppend.Truncated);
            }

            if (!recording.Chunks.Exists(c => c.Sequence == chunk.Sequence))
            {
                recording.Chunks.Add(chunk);
            }

            _recordings[sessionId] = (info with { BytesStored = info.BytesStored + chunk.Events.Length, RawBytes = info.RawBytes + chunk.RawBytes, Chunks = info.Chunks + 1 }, recording.Chunks);
            return Task.FromResult(RecordingAppend.Appended);
        }
    }

    public Task FinishAsync(string sessionId, DateTimeOffset endedAt, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_recordings.TryGetValue(sessionId, out var recording) && recording.Info.EndedAt is null)
            {
                _recordings[sessionId] = (recording.Info with { EndedAt = endedAt }, recording.Chunks);
            }
        }

        return Task.CompletedTask;
    }

    public Task<RecordingInfo?> GetAsync(string sessionId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_recordings.TryGetValue(sessionId, out var recording) ? recording.Info : null);
        }
    }

    public Task<IReadOnlyList<RecordingChunk>> ReadChunksAsync(string sessionId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<RecordingChunk>>(_recordings.TryGetValue(sessionId, out var recording)
                ? recording.Chunks.OrderBy(c => c.Sequence).ToList()
                : []);
        }
    }

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var expired = _recordings.Where(r => r.Value.Info.ExpiresAt < now).Select(r => r.Key).ToList();
            expired.ForEach(id => _recordings.Remove(id));
            return Task.FromResult(expired.Count);
        }
    }
}
