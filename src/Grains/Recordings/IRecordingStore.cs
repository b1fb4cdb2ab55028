namespace UFBrowsers.Grains.Recordings;

/// <summary>
/// Where session recordings live (PostgreSQL in production): one recording per recorded session, its rrweb events in
/// compressed chunks appended as they come, so a crash loses at most the chunk being collected.
/// </summary>
public interface IRecordingStore
{
    /// <summary>Opens the session's recording (nothing happens when it exists already: a start replayed).</summary>
    Task BeginAsync(RecordingStart start, CancellationToken cancellationToken);

    /// <summary>
    /// Appends a chunk unless it would take the recording past <paramref name="maxBytes"/> compressed bytes; then nothing is
    /// appended, the recording is marked truncated, and the answer is <see cref="RecordingAppend.Truncated"/>. A recording
    /// already truncated or finished takes nothing more.
    /// </summary>
    Task<RecordingAppend> AppendAsync(string sessionId, RecordingChunk chunk, long maxBytes, CancellationToken cancellationToken);

    /// <summary>Marks the recording complete as of <paramref name="endedAt"/> (the first call wins).</summary>
    Task FinishAsync(string sessionId, DateTimeOffset endedAt, CancellationToken cancellationToken);

    /// <summary>The recording's summary; null when the session was not recorded (or its recording has expired).</summary>
    Task<RecordingInfo?> GetAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Every chunk, in the order they were appended.</summary>
    Task<IReadOnlyList<RecordingChunk>> ReadChunksAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Deletes the recordings whose retention ended before <paramref name="now"/>; returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
