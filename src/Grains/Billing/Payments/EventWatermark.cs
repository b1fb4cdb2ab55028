namespace UFBrowsers.Grains.Billing.Payments;

/// <summary>
/// The position of a Stripe event in time: its <c>created</c> second, then its id. Stripe's timestamps have
/// one-second resolution, so the id breaks ties; any fixed tie-break gives every arrival order the same result.
/// </summary>
[GenerateSerializer, Immutable, Alias("ufb.EventWatermark")]
public sealed record EventWatermark(
    [property: Id(0)] DateTimeOffset Created,
    [property: Id(1)] string EventId)
{
    /// <summary>True when this event is not older than <paramref name="other"/>; the same event compares equal, so a retry re-applies.</summary>
    public bool IsAtOrAfter(EventWatermark? other) =>
        other is null || Created > other.Created || Created == other.Created && string.CompareOrdinal(EventId, other.EventId) >= 0;
}
