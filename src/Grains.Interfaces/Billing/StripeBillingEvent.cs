namespace UFBrowsers.Billing;

/// <summary>
/// A verified Stripe event reduced to what the billing rules read, so grains never depend on Stripe's SDK.
/// <see cref="CustomerId"/> is UFBrowsers' own id when the event names it (client_reference_id or metadata);
/// <see cref="PeriodStart"/> is the start of the billing period an invoice pays (for a checkout, the moment the
/// subscription began, which is when its first period starts). What says whether money arrived is carried as Stripe
/// says it: <see cref="PaymentStatus"/> of a checkout (<c>paid</c>, <c>unpaid</c>, <c>no_payment_required</c>),
/// <see cref="BillingReason"/> and <see cref="AmountPaid"/> (cents) of an invoice; the billing rules decide what it means.
/// </summary>
[GenerateSerializer, Immutable, Alias("ufb.StripeBillingEvent")]
public sealed record StripeBillingEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] StripeEventKind Kind,
    [property: Id(2)] DateTimeOffset Created,
    [property: Id(3)] string? CustomerId,
    [property: Id(4)] string? StripeCustomerId,
    [property: Id(5)] string? SubscriptionId,
    [property: Id(6)] string? InvoiceId,
    [property: Id(7)] string? PriceId,
    [property: Id(8)] string? PlanName,
    [property: Id(9)] string? SubscriptionStatus,
    [property: Id(10)] DateTimeOffset? PeriodStart,
    [property: Id(11)] string? PaymentStatus = null,
    [property: Id(12)] string? BillingReason = null,
    [property: Id(13)] long? AmountPaid = null);
