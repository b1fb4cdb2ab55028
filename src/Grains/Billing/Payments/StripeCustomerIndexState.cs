namespace UFBrowsers.Grains.Billing.Payments;

[GenerateSerializer, Alias("ufb.StripeCustomerIndexState")]
public sealed class StripeCustomerIndexState
{
    [Id(0)]
    public string? CustomerId { get; set; }
}
