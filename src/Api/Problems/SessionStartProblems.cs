using System.Globalization;
using UFBrowsers.Api.Queue;
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
        SessionStartOutcome.ConcurrencyLimitReached => TooMany("concurrency_limit_reached",
            $"All {result.ConcurrencyLimit} concurrent sessions of the plan are in use; end one, retry later, or send waitSeconds to queue.",
            result.ConcurrencyLimit, result.SessionsInUse, 0),
        SessionStartOutcome.NoBrowserAvailable => new ApiProblem(StatusCodes.Status503ServiceUnavailable, "no_browser_available", "Service unavailable",
            result.Detail ?? "No browser could be started; nothing was charged.", RetryAfter(NoBrowserRetrySeconds)),
        SessionStartOutcome.UnknownNodePool => ApiProblem.Unprocessable("unknown_node_pool", result.Detail ?? "Unknown node pool."),
        SessionStartOutcome.IdempotencyConflict => ApiProblem.Unprocessable("idempotency_key_reused", result.Detail ?? "Idempotency-Key reused."),
        SessionStartOutcome.ProfileNotFound => ProfileProblems.NotFound(result.Detail ?? "No such profile."),
        SessionStartOutcome.ProfileInUse => ProfileProblems.InUse(result.Detail ?? "The profile is in use by another persisting session."),
        SessionStartOutcome.ProfilesNotConfigured => ProfileProblems.NotConfigured,
        _ => throw new ArgumentOutOfRangeException(nameof(result), result.Outcome, "Not a refusal."),
    };

    /// <summary>A 429 from the queue: nothing was started and nothing charged.</summary>
    public static ApiProblem For(QueueRefusal refusal, int limit, int inUse, int queueLength, int waitSeconds) => refusal switch
    {
        QueueRefusal.OthersWaiting => TooMany("concurrency_limit_reached",
            $"{queueLength} request(s) are already waiting for one of the plan's {limit} concurrent sessions; send waitSeconds to queue behind them.",
            limit, inUse, queueLength),
        QueueRefusal.QueueFull => TooMany("queue_full",
            $"The account's queue is full ({queueLength} waiting); retry later.", limit, inUse, queueLength),
        _ => TooMany("queue_wait_elapsed",
            $"No concurrent session freed within {waitSeconds} s; nothing was charged.", limit, inUse, queueLength),
    };

    private static ApiProblem TooMany(string code, string detail, int limit, int inUse, int queueLength) =>
        new(StatusCodes.Status429TooManyRequests, code, "Too many requests", detail, new Dictionary<string, string>
        {
            ["Retry-After"] = ConcurrencyRetrySeconds.ToString(CultureInfo.InvariantCulture),
            ["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture),
            ["X-RateLimit-Remaining"] = Math.Max(0, limit - inUse).ToString(CultureInfo.InvariantCulture),
            ["X-Queue-Length"] = queueLength.ToString(CultureInfo.InvariantCulture),
        });

    private static Dictionary<string, string> RetryAfter(int seconds) =>
        new() { ["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture) };
}
