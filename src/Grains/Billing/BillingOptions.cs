namespace UFBrowsers.Grains.Billing;

/// <summary>Configuration section <c>UFBrowsers:Billing</c>: the plans on sale, by name.</summary>
public sealed class BillingOptions
{
    public const string Section = "UFBrowsers:Billing";

    public Dictionary<string, PlanOptions> Plans { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
