namespace UFBrowsers.Grains.Pods;

/// <summary>
/// The provider's live pods of one pool, listed at most once per <c>maxAge</c> however many sessions ask: every question
/// asked meanwhile is answered by the same listing, and questions that arrive while one is under way wait for it.
/// </summary>
/// <remarks>Used only from its pool grain's turns, so its fields need no lock even though the pool is reentrant.</remarks>
internal sealed class LivePodListing(IPodProvider provider, string nodePool, TimeProvider clock, TimeSpan maxAge)
{
    private Task<LivePodSnapshot>? _listing;
    private LivePodSnapshot? _last;

    /// <summary>A listing that began at or after <paramref name="since"/> and is at most <c>maxAge</c> old. Throws when the provider cannot tell.</summary>
    public async Task<LivePodSnapshot> GetAsync(DateTimeOffset since)
    {
        while (true)
        {
            if (_last is { } last && last.TakenAt >= since && clock.GetUtcNow() - last.TakenAt <= maxAge)
            {
                return last;
            }

            // A listing under way may have begun before `since`; then wait for it and list again.
            var listed = await List();
            if (listed.TakenAt >= since)
            {
                return listed;
            }
        }
    }

    private Task<LivePodSnapshot> List()
    {
        if (_listing is { } underWay)
        {
            return underWay;
        }

        var listing = ListAsync();
        _listing = listing.IsCompleted ? null : listing;
        return listing;
    }

    private async Task<LivePodSnapshot> ListAsync()
    {
        try
        {
            var takenAt = clock.GetUtcNow();
            var pods = await provider.ListAliveAsync(nodePool, CancellationToken.None);
            return _last = new LivePodSnapshot(takenAt, pods.ToDictionary(pod => pod.PodId, StringComparer.Ordinal));
        }
        finally
        {
            _listing = null;
        }
    }
}
