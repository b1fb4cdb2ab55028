namespace UFBrowsers.Grains.Billing;

public sealed class PlanOptions
{
    public long MonthlyPriceCents { get; set; }

    public long CreditsPerPeriod { get; set; }

    public int ConcurrencyLimit { get; set; }

    public int MaxSessionMinutes { get; set; }
}
