namespace UFBrowsers.Sessions;

/// <summary>A session's recorded events, oldest first; <see cref="Dropped"/> counts connect/disconnect events dropped to keep the log bounded.</summary>
[GenerateSerializer, Immutable, Alias("ufb.SessionEventLog")]
public sealed record SessionEventLog(
    [property: Id(0)] IReadOnlyList<SessionEvent> Events,
    [property: Id(1)] int Dropped);
