namespace UFBrowsers.Billing;

/// <summary>What processing a Stripe event did, with a short human-readable account of it.</summary>
[GenerateSerializer, Immutable, Alias("ufb.StripeEventResult")]
public sealed record StripeEventResult(
    [property: Id(0)] StripeEventOutcome Outcome,
    [property: Id(1)] string Detail);
