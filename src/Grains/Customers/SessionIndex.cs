using UFBrowsers.Customers;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Customers;

/// <summary>Every session of a customer in start order, so listing never has to wake the session grains.</summary>
[GenerateSerializer, Alias("ufb.SessionIndex")]
public sealed class SessionIndex
{
    [NonSerialized]
    private Dictionary<string, int>? _positions;

    [Id(0)]
    public List<SessionSummary> Items { get; set; } = [];

    [Id(1)]
    public long LastSequence { get; set; }

    public SessionSummary? Find(string sessionId) =>
        Positions().TryGetValue(sessionId, out var i) ? Items[i] : null;

    public void Add(string sessionId, DateTimeOffset createdAt)
    {
        if (Positions().ContainsKey(sessionId))
        {
            return;
        }

        Items.Add(new SessionSummary(sessionId, SessionStatus.Active, createdAt, ++LastSequence, 0));
        Positions()[sessionId] = Items.Count - 1;
    }

    public void MarkEnded(string sessionId, long creditsCharged)
    {
        if (Positions().TryGetValue(sessionId, out var i))
        {
            Items[i] = Items[i] with { Status = SessionStatus.Ended, CreditsCharged = creditsCharged };
        }
    }

    public void Remove(string sessionId)
    {
        if (Positions().Remove(sessionId, out var i))
        {
            Items.RemoveAt(i);
            _positions = null;
        }
    }

    /// <summary>Sessions newest first with sequence below <paramref name="before"/>, optionally of one status.</summary>
    public SessionPage Page(SessionStatus? status, int limit, long? before)
    {
        var page = new List<SessionSummary>(Math.Min(limit, Items.Count));
        long? next = null;
        for (var i = Items.Count - 1; i >= 0; i--)
        {
            var item = Items[i];
            if (before.HasValue && item.Sequence >= before.Value || status.HasValue && item.Status != status.Value)
            {
                continue;
            }

            if (page.Count == limit)
            {
                next = page[^1].Sequence;
                break;
            }

            page.Add(item);
        }

        return new SessionPage(page, next);
    }

    private Dictionary<string, int> Positions()
    {
        if (_positions is null)
        {
            _positions = new Dictionary<string, int>(Items.Count, StringComparer.Ordinal);
            for (var i = 0; i < Items.Count; i++)
            {
                _positions[Items[i].SessionId] = i;
            }
        }

        return _positions;
    }
}
