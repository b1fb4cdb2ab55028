namespace UFBrowsers.Grains.Recordings;

/// <summary>A recording being opened: whose, since when, and until when it is kept.</summary>
public sealed record RecordingStart(string SessionId, string CustomerId, DateTimeOffset StartedAt, DateTimeOffset ExpiresAt);
