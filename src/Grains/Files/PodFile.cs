namespace UFBrowsers.Grains.Files;

/// <summary>A completed download in a session's browser pod.</summary>
public sealed record PodFile(string Name, long SizeBytes, DateTimeOffset CompletedAt);
