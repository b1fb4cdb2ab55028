using UFBrowsers.Billing;

namespace UFBrowsers.Api.Problems;

/// <summary>Turns a checkout or portal request that produced no Stripe page into the HTTP answer.</summary>
internal static class BillingProblems
{
    private const string StripeRetrySeconds = "10";

    public static ApiProblem For(BillingRedirect redirect) => redirect.Outcome switch
    {
        BillingRedirectOutcome.UnknownCustomer => ApiProblem.NotFound("The account no longer exists."),
        BillingRedirectOutcome.UnknownPlan => ApiProblem.Unprocessable("unknown_plan", redirect.Detail ?? "Unknown plan."),
        BillingRedirectOutcome.PlanNotForSale => ApiProblem.Unprocessable("plan_not_for_sale", redirect.Detail ?? "This plan cannot be bought."),
        BillingRedirectOutcome.NoBillingAccount => ApiProblem.Conflict("no_billing_account", redirect.Detail ?? "Subscribe through a checkout first."),
        // Configuration problems are permanent until an operator acts: no 503, no Retry-After, nothing for a client to retry.
        BillingRedirectOutcome.NotConfigured => new ApiProblem(StatusCodes.Status501NotImplemented, "stripe_not_configured", "Not configured",
            "Payments are not configured on this installation."),
        BillingRedirectOutcome.Misconfigured => new ApiProblem(StatusCodes.Status500InternalServerError, "stripe_misconfigured", "Payments misconfigured",
            "The payment provider refused this installation's configuration; the operator has been told. Retrying will not help."),
        BillingRedirectOutcome.Unavailable => new ApiProblem(StatusCodes.Status503ServiceUnavailable, "stripe_unavailable", "Service unavailable",
            "The payment provider could not be reached; nothing was changed. Retry later.",
            new Dictionary<string, string> { ["Retry-After"] = StripeRetrySeconds }),
        _ => throw new ArgumentOutOfRangeException(nameof(redirect), redirect.Outcome, "Not a refusal."),
    };
}
