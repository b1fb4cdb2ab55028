namespace UFBrowsers.Grains.Recordings;

/// <summary>A recording's summary: sizes are of what is stored (compressed) and of the events before compression.</summary>
public sealed record RecordingInfo(
    string SessionId,
    string CustomerId,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    bool Truncated,
    long BytesStored,
    long RawBytes,
    int Chunks,
    DateTimeOffset ExpiresAt);
