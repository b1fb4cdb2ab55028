namespace UFBrowsers.Api.Contracts;

/// <summary>One waiting request; a client finds its own by the Idempotency-Key it sent.</summary>
public sealed record QueuedRequestResponse(int Position, string SessionId, string? IdempotencyKey, DateTimeOffset EnqueuedAt, DateTimeOffset Deadline);
