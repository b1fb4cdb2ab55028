namespace UFBrowsers.Billing;

public enum BillingRedirectOutcome
{
    Created = 0,
    UnknownCustomer = 1,
    UnknownPlan = 2,
    /// <summary>The plan exists but has no Stripe price configured.</summary>
    PlanNotForSale = 3,
    /// <summary>The customer has no Stripe customer yet (the portal needs one: subscribe first).</summary>
    NoBillingAccount = 4,
    /// <summary>No Stripe secret key is configured.</summary>
    NotConfigured = 5,
    /// <summary>Stripe did not answer, or failed in a way a retry may get past.</summary>
    Unavailable = 6,
    /// <summary>Stripe refused the request because of this installation's configuration (a bad key, a price that does not exist): a retry cannot help.</summary>
    Misconfigured = 7,
}

/// <summary>A page on Stripe to send the customer to, or why there is none.</summary>
[GenerateSerializer, Immutable, Alias("ufb.BillingRedirect")]
public sealed record BillingRedirect(
    [property: Id(0)] BillingRedirectOutcome Outcome,
    [property: Id(1)] string? Url,
    [property: Id(2)] string? Detail = null);
