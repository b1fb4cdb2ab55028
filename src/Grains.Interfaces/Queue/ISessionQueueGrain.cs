using Orleans.Concurrency;

namespace UFBrowsers.Queue;

/// <summary>
/// The FIFO queue of one customer's session requests waiting for a concurrency slot (key: customer id). Only the
/// head of the queue may try to start; a slot that frees wakes it. Waiters are live HTTP requests, so the queue
/// lives in memory: a lost activation loses no money, its waiters simply find their ticket gone and join again.
/// </summary>
[Alias("ufb.ISessionQueueGrain")]
public interface ISessionQueueGrain : IGrainWithStringKey
{
    /// <summary>
    /// Joins the queue (<paramref name="wait"/>) or only asks whether a request may try now. Joining twice with the same
    /// ticket returns the existing place.
    /// </summary>
    [Alias("Enter")]
    Task<QueuePlace> Enter(QueueTicket ticket, bool wait);

    /// <summary>
    /// Waits up to <paramref name="slice"/> for the ticket's turn: it is at the head and a slot freed (or the head
    /// changed) after <paramref name="seenVersion"/>. Bounded by the caller so no call outlives the response timeout.
    /// </summary>
    [AlwaysInterleave, Alias("Wait")]
    Task<QueuePlace> Wait(string ticketId, long seenVersion, TimeSpan slice);

    [Alias("Leave")]
    Task Leave(string ticketId);

    /// <summary>A session of this customer ended: the head of the queue may try again.</summary>
    [OneWay, Alias("SlotFreed")]
    Task SlotFreed();

    [Alias("Snapshot")]
    Task<QueueSnapshot> Snapshot();
}
