namespace UFBrowsers.Silo.Payments;

/// <summary>
/// Configuration section <c>UFBrowsers:Stripe</c>. The secret key and webhook secret are secrets: give them by
/// environment (<c>UFBrowsers__Stripe__SecretKey</c>, <c>UFBrowsers__Stripe__WebhookSecret</c>), never log them.
/// Without a secret key, checkout and portal answer 503; without a webhook secret, the webhook refuses every event.
/// </summary>
public sealed class StripeOptions
{
    public const string Section = "UFBrowsers:Stripe";

    public string? SecretKey { get; set; }

    public string? WebhookSecret { get; set; }

    /// <summary>Where the Stripe API is; empty for Stripe itself. Tests point it at a local fake.</summary>
    public string? ApiBase { get; set; }

    /// <summary>How old a webhook's signed timestamp may be before it is refused as a replay.</summary>
    public long WebhookToleranceSeconds { get; set; } = 300;

    public int RequestTimeoutSeconds { get; set; } = 10;

    /// <summary>Retries of a failed Stripe API request (Stripe.net's own backoff; it sends idempotency keys).</summary>
    public int MaxNetworkRetries { get; set; } = 2;

    public string CheckoutSuccessUrl { get; set; } = "http://127.0.0.1:8080/billing/success?session_id={CHECKOUT_SESSION_ID}";

    public string CheckoutCancelUrl { get; set; } = "http://127.0.0.1:8080/billing/cancelled";

    public string PortalReturnUrl { get; set; } = "http://127.0.0.1:8080/";
}
