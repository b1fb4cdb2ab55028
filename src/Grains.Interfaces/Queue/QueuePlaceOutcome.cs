namespace UFBrowsers.Queue;

public enum QueuePlaceOutcome
{
    /// <summary>Try to start now.</summary>
    Go = 0,
    /// <summary>Queued behind others, or at the head with no slot freed yet.</summary>
    Waiting = 1,
    /// <summary>The queue is at its bound; not queued.</summary>
    Full = 2,
    /// <summary>Others are waiting and this request would not wait: it may not overtake them.</summary>
    Busy = 3,
    /// <summary>The ticket is not (or no longer) in the queue.</summary>
    Unknown = 4,
}
