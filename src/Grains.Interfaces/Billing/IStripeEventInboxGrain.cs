namespace UFBrowsers.Billing;

/// <summary>
/// One Stripe event (key: the event id). It records the event before applying it and marks it applied only
/// after success, so a replay of an applied event is a no-op while a retry after a failure applies it.
/// </summary>
[Alias("ufb.IStripeEventInboxGrain")]
public interface IStripeEventInboxGrain : IGrainWithStringKey
{
    [Alias("Process")]
    Task<StripeEventResult> Process(StripeBillingEvent stripeEvent);
}
