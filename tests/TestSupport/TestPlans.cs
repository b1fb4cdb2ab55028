namespace UFBrowsers.TestSupport;

/// <summary>
/// The plans test silos are configured with: Professional as sold, and a small Starter with a limit of 2 sessions, 2
/// profiles of at most 4 KiB, and 1,000 bytes of downloads kept per session.
/// </summary>
public static class TestPlans
{
    public static IEnumerable<KeyValuePair<string, string?>> Configuration { get; } = new Dictionary<string, string?>
    {
        ["UFBrowsers:Billing:Plans:professional:MonthlyPriceCents"] = "4900",
        ["UFBrowsers:Billing:Plans:professional:CreditsPerPeriod"] = "5000",
        ["UFBrowsers:Billing:Plans:professional:ConcurrencyLimit"] = "10",
        ["UFBrowsers:Billing:Plans:professional:MaxSessionMinutes"] = "60",
        ["UFBrowsers:Billing:Plans:starter:MonthlyPriceCents"] = "900",
        ["UFBrowsers:Billing:Plans:starter:CreditsPerPeriod"] = "500",
        ["UFBrowsers:Billing:Plans:starter:ConcurrencyLimit"] = "2",
        ["UFBrowsers:Billing:Plans:starter:MaxSessionMinutes"] = "5",
        ["UFBrowsers:Billing:Plans:starter:MaxProfiles"] = "2",
        ["UFBrowsers:Billing:Plans:starter:MaxProfileBytes"] = "4096",
        ["UFBrowsers:Billing:Plans:starter:MaxSessionDownloadBytes"] = "1000",
    };
}
