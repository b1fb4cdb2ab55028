using UFBrowsers.Sessions;

namespace UFBrowsers.Api.Queue;

/// <summary>Either the session grain's answer to a start, or why the queue gave up before one could be had.</summary>
public sealed record QueuedStartResult(SessionStartResult? Start, QueueRefusal? Refusal, int QueueLength);
