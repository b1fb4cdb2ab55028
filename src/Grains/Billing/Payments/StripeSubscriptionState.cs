namespace UFBrowsers.Grains.Billing.Payments;

[GenerateSerializer, Alias("ufb.StripeSubscriptionState")]
public sealed class StripeSubscriptionState
{
    [Id(0)]
    public string? StripeCustomerId { get; set; }

    [Id(1)]
    public string? SubscriptionId { get; set; }

    /// <summary>The newest event that set plan and status; older ones leave them alone.</summary>
    [Id(2)]
    public EventWatermark? StateWatermark { get; set; }

    /// <summary>Start of the newest billing period whose credits were granted; older periods grant nothing.</summary>
    [Id(3)]
    public DateTimeOffset? CreditedPeriodStart { get; set; }

    /// <summary>Subscriptions Stripe deleted: nothing said about them later can make the customer active again.</summary>
    [Id(4)]
    public HashSet<string> EndedSubscriptions { get; set; } = new(StringComparer.Ordinal);
}
