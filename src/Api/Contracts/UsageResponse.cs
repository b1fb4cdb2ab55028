using UFBrowsers.Customers;

namespace UFBrowsers.Api.Contracts;

/// <summary>Credits spent on sessions per UTC day, oldest first.</summary>
public sealed record UsageResponse(IReadOnlyList<DailyUsageResponse> Days, long Total)
{
    public static UsageResponse From(IReadOnlyList<DailyUsage> days) =>
        new(days.Select(d => new DailyUsageResponse(d.Day, d.Credits)).ToList(), days.Sum(d => d.Credits));
}

public sealed record DailyUsageResponse(DateOnly Day, long Credits);
