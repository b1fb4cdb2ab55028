namespace UFBrowsers.Grains.Billing;

/// <summary>What storage a plan includes at no charge: profiles (count and size each) and downloads kept per session.</summary>
public sealed record PlanStorageLimits(int MaxProfiles, long MaxProfileBytes, long MaxSessionDownloadBytes);
