using UFBrowsers.Queue;

namespace UFBrowsers.Api.Contracts;

/// <summary>The account's queue of session requests waiting for a concurrency slot, in order.</summary>
public sealed record QueueResponse(int Length, int MaxLength, IReadOnlyList<QueuedRequestResponse> Waiters)
{
    public static QueueResponse From(QueueSnapshot q) =>
        new(q.Waiters.Count, q.MaxLength, q.Waiters.Select(w => new QueuedRequestResponse(w.Position, w.SessionId, w.IdempotencyKey, w.EnqueuedAt, w.Deadline)).ToList());
}
