namespace UFBrowsers.Grains.Billing;

public sealed class PlanOptions
{
    public long MonthlyPriceCents { get; set; }

    public long CreditsPerPeriod { get; set; }

    public int ConcurrencyLimit { get; set; }

    public int MaxSessionMinutes { get; set; }

    /// <summary>The Stripe price (<c>price_…</c>) customers subscribe to for this plan; a plan without one is not for sale.</summary>
    public string? StripePriceId { get; set; }

    /// <summary>Saved browser profiles the customer may keep (storage is free up to these limits).</summary>
    public int MaxProfiles { get; set; } = 10;

    /// <summary>Largest saved profile state (cookies and localStorage, serialized before encryption); a larger save is refused and the previous state kept.</summary>
    public long MaxProfileBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Downloads kept per session after it ends (summed over its files); what is over is cut off and reported.</summary>
    public long MaxSessionDownloadBytes { get; set; } = 100 * 1024 * 1024;
}
