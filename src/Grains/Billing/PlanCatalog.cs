using Microsoft.Extensions.Options;
using UFBrowsers.Customers;

namespace UFBrowsers.Grains.Billing;

/// <summary>The configured plans. Names are case-insensitive; the catalog returns the configured spelling.</summary>
public sealed class PlanCatalog(IOptions<BillingOptions> options)
{
    public bool TryGet(string name, out Plan plan)
    {
        foreach (var (planName, p) in options.Value.Plans)
        {
            if (string.Equals(planName, name, StringComparison.OrdinalIgnoreCase))
            {
                plan = new Plan(planName, p.MonthlyPriceCents, p.CreditsPerPeriod, p.ConcurrencyLimit, p.MaxSessionMinutes);
                return true;
            }
        }

        plan = null!;
        return false;
    }

    /// <summary>The plan a Stripe price belongs to (price ids are compared exactly, as Stripe does).</summary>
    public bool TryGetByStripePrice(string priceId, out Plan plan)
    {
        foreach (var (planName, p) in options.Value.Plans)
        {
            if (string.Equals(p.StripePriceId, priceId, StringComparison.Ordinal))
            {
                return TryGet(planName, out plan);
            }
        }

        plan = null!;
        return false;
    }

    public string? StripePriceOf(string name) =>
        options.Value.Plans.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.StripePriceId is { Length: > 0 } price
            ? price
            : null;

    /// <summary>The storage a plan includes; an unknown plan gets the defaults of <see cref="PlanOptions"/>.</summary>
    public PlanStorageLimits StorageLimits(string name)
    {
        var plan = options.Value.Plans.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value ?? new PlanOptions();
        return new PlanStorageLimits(plan.MaxProfiles, plan.MaxProfileBytes, plan.MaxSessionDownloadBytes);
    }

    public Plan Get(string name) =>
        TryGet(name, out var plan) ? plan : throw new ArgumentException($"Unknown plan '{name}'. Known plans: {string.Join(", ", options.Value.Plans.Keys)}.", nameof(name));
}
