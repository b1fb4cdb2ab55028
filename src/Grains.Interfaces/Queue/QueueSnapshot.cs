namespace UFBrowsers.Queue;

/// <summary>A customer's queue as it stands: its bound and each waiter in order.</summary>
[GenerateSerializer, Immutable, Alias("ufb.QueueSnapshot")]
public sealed record QueueSnapshot(
    [property: Id(0)] int MaxLength,
    [property: Id(1)] IReadOnlyList<QueuedRequest> Waiters);
