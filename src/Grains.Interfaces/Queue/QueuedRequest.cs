namespace UFBrowsers.Queue;

/// <summary>One waiting request, as the customer sees it in the queue.</summary>
[GenerateSerializer, Immutable, Alias("ufb.QueuedRequest")]
public sealed record QueuedRequest(
    [property: Id(0)] int Position,
    [property: Id(1)] string SessionId,
    [property: Id(2)] string? IdempotencyKey,
    [property: Id(3)] DateTimeOffset EnqueuedAt,
    [property: Id(4)] DateTimeOffset Deadline);
