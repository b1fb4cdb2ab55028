namespace UFBrowsers.Queue;

/// <summary>A waiting request: its session id (the ticket), the Idempotency-Key it came with, and when it gives up.</summary>
[GenerateSerializer, Immutable, Alias("ufb.QueueTicket")]
public sealed record QueueTicket(
    [property: Id(0)] string Id,
    [property: Id(1)] string? IdempotencyKey,
    [property: Id(2)] DateTimeOffset Deadline);
