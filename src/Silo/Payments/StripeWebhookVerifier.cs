using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;

namespace UFBrowsers.Silo.Payments;

/// <summary>
/// Checks a webhook's <c>Stripe-Signature</c> (HMAC-SHA256 of the raw body under the endpoint's secret, with a
/// signed timestamp no older than the tolerance) through Stripe.net, and parses the event it signs.
/// </summary>
public sealed class StripeWebhookVerifier(IOptions<StripeOptions> options, ILogger<StripeWebhookVerifier> logger)
{
    public bool IsConfigured => !string.IsNullOrEmpty(options.Value.WebhookSecret);

    public StripeWebhookVerification Verify(string body, string? signatureHeader)
    {
        if (string.IsNullOrWhiteSpace(signatureHeader))
        {
            return new StripeWebhookVerification(null, "The request has no Stripe-Signature header.");
        }

        try
        {
            EventUtility.ValidateSignature(body, signatureHeader, options.Value.WebhookSecret, options.Value.WebhookToleranceSeconds);
        }
        catch (StripeException ex)
        {
            return new StripeWebhookVerification(null, ex.Message);
        }

        // Signed by Stripe's secret, so the sender holds it; what it signed may still not be an event this build can read.
        // The API version is checked below rather than here: a mismatch is a configuration problem to report,
        // and refusing the event would only make Stripe retry it for days.
        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ParseEvent(body, throwOnApiVersionMismatch: false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning("A signed Stripe webhook body could not be read as an event: {ExceptionType}", ex.GetType().Name);
            return StripeWebhookVerification.Malformed("The signed body is not a Stripe event this service can read.");
        }

        if (StripeEventShape.Problem(stripeEvent) is { } problem)
        {
            return StripeWebhookVerification.Malformed(problem);
        }

        if (!EventUtility.IsCompatibleApiVersion(stripeEvent.ApiVersion))
        {
            logger.LogWarning("Stripe event {EventId} has API version {EventApiVersion}; this build reads {ApiVersion}. Set the webhook endpoint's API version to match",
                stripeEvent.Id, stripeEvent.ApiVersion, StripeConfiguration.ApiVersion);
        }

        return new StripeWebhookVerification(stripeEvent, null);
    }
}
