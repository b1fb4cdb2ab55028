namespace UFBrowsers.Queue;

/// <summary>Where a ticket stands: its outcome, 1-based position (0 when not queued), the queue length and the queue's version.</summary>
[GenerateSerializer, Immutable, Alias("ufb.QueuePlace")]
public sealed record QueuePlace(
    [property: Id(0)] QueuePlaceOutcome Outcome,
    [property: Id(1)] int Position,
    [property: Id(2)] int Length,
    [property: Id(3)] long Version);
