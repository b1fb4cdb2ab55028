using System.Globalization;
using UFBrowsers.Sessions;

namespace UFBrowsers.Api.Problems;

/// <summary>Turns a refused session start into the HTTP answer a client can act on.</summary>
internal static class SessionStartProblems
{
    private const int ConcurrencyRetrySeconds = 5;
    private const int NoBrowserRetrySeconds = 2;
    private const int TenantRetrySeconds = 30;

    public static ApiProblem For(SessionStartResult result) => result.Outcome switch
    {
        SessionStartOutcome.UnknownCustomer => new ApiProblem(StatusCodes.Status402PaymentRequired, "no_subscription", "Payment required",
            "This account has no subscription."),
        SessionStartOutcome.SubscriptionInactive => new ApiProblem(StatusCodes.Status402PaymentRequired, "subscription_inactive", "Payment required",
            "The subscription is not active; new sessions are refused until it is."),
        SessionStartOutcome.InsufficientCredit => new ApiProblem(StatusCodes.Status402PaymentRequired, "insufficient_credit", "Payment required",
            $"A session needs at least 1 credit; the balance is {result.Balance}."),
        SessionStartOutcome.TenantNotProvisioned => new ApiProblem(StatusCodes.Status503ServiceUnavailable, "tenant_not_provisioned", "Service unavailable",
            "This account's isolated environment is still being prepared.", RetryAfter(TenantRetrySeconds)),
        SessionStartOutcome.ConcurrencyLimitReached => new ApiProblem(StatusCodes.Status429TooManyRequests, "concurrency_limit_reached", "Too many requests",
            $"All {result.ConcurrencyLimit} concurrent sessions of the plan are in use; end one or retry later.",
            new Dictionary<string, string>
            {
                ["Retry-After"] = ConcurrencyRetrySeconds.ToString(CultureInfo.InvariantCulture),
                ["X-RateLimit-Limit"] = result.ConcurrencyLimit.ToString(CultureInfo.InvariantCulture),
                ["X-RateLimit-Remaining"] = Math.Max(0, result.ConcurrencyLimit - result.SessionsInUse).ToString(CultureInfo.InvariantCulture),
            }),
        SessionStartOutcome.NoBrowserAvailable => new ApiProblem(StatusCodes.Status503ServiceUnavailable, "no_browser_available", "Service unavailable",
            result.Detail ?? "No browser could be started; nothing was charged.", RetryAfter(NoBrowserRetrySeconds)),
        SessionStartOutcome.UnknownNodePool => ApiProblem.Unprocessable("unknown_node_pool", result.Detail ?? "Unknown node pool."),
        SessionStartOutcome.IdempotencyConflict => ApiProblem.Unprocessable("idempotency_key_reused", result.Detail ?? "Idempotency-Key reused."),
        _ => throw new ArgumentOutOfRangeException(nameof(result), result.Outcome, "Not a refusal."),
    };

    private static Dictionary<string, string> RetryAfter(int seconds) =>
        new() { ["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture) };
}
