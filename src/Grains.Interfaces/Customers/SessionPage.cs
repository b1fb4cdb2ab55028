namespace UFBrowsers.Customers;

/// <summary>Sessions newest first; <see cref="NextBefore"/> is the cursor for the next page.</summary>
[GenerateSerializer, Immutable, Alias("ufb.SessionPage")]
public sealed record SessionPage(
    [property: Id(0)] IReadOnlyList<SessionSummary> Sessions,
    [property: Id(1)] long? NextBefore);
