namespace UFBrowsers.Grains.Billing;

public sealed class PlanOptions
{
    public long MonthlyPriceCents { get; set; }

    public long CreditsPerPeriod { get; set; }

    public int ConcurrencyLimit { get; set; }

    public int MaxSessionMinutes { get; set; }

    /// <summary>The Stripe price (<c>price_…</c>) customers subscribe to for this plan; a plan without one is not for sale.</summary>
    public string? StripePriceId { get; set; }
}
