namespace UFBrowsers.Bench.Drills;

/// <summary>A customer a drill made, with the credits it granted; every other balance change must be a session's charge.</summary>
internal sealed record DrillCustomer(string Id, long Granted);
