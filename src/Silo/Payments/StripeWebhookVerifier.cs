using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;

namespace UFBrowsers.Silo.Payments;

/// <summary>
/// Checks a webhook's <c>Stripe-Signature</c> (HMAC-SHA256 of the raw body under the endpoint's secret, with a signed
/// timestamp no older than the tolerance) through Stripe.net, then that the event is rendered for the API version this
/// build pins (<see cref="StripeConfiguration.ApiVersion"/>, Stripe.net's), and only then parses it. An event of another
/// version is refused with a clear error, logged once per version: its objects may not have the fields the rules read.
/// </summary>
public sealed class StripeWebhookVerifier(IOptions<StripeOptions> options, ILogger<StripeWebhookVerifier> logger)
{
    private readonly ConcurrentDictionary<string, bool> _reportedVersions = new(StringComparer.Ordinal);

    public bool IsConfigured => !string.IsNullOrEmpty(options.Value.WebhookSecret);

    public static string PinnedApiVersion => StripeConfiguration.ApiVersion;

    public StripeWebhookVerification Verify(string body, string? signatureHeader)
    {
        if (string.IsNullOrWhiteSpace(signatureHeader))
        {
            return StripeWebhookVerification.Refused(StripeWebhookRefusal.InvalidSignature, "The request has no Stripe-Signature header.");
        }

        try
        {
            EventUtility.ValidateSignature(body, signatureHeader, options.Value.WebhookSecret, options.Value.WebhookToleranceSeconds);
        }
        catch (StripeException ex)
        {
            return StripeWebhookVerification.Refused(StripeWebhookRefusal.InvalidSignature, ex.Message);
        }

        if (ApiVersionOf(body) is { } version && !EventUtility.IsCompatibleApiVersion(version))
        {
            if (_reportedVersions.TryAdd(version, true))
            {
                logger.LogError(
                    "Stripe sends webhook events with API version {EventApiVersion}; this build reads {ApiVersion}. Every such event is refused until the webhook endpoint's API version is set to {ApiVersion} (logged once per version)",
                    version, PinnedApiVersion, PinnedApiVersion);
            }

            return StripeWebhookVerification.Refused(StripeWebhookRefusal.ApiVersionMismatch,
                $"The event is rendered for Stripe API version '{version}', but this installation reads '{PinnedApiVersion}'. " +
                $"Set the webhook endpoint's API version to {PinnedApiVersion} in Stripe; nothing was applied.");
        }

        // Signed by Stripe's secret, so the sender holds it; what it signed may still not be an event this build can read.
        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ParseEvent(body, throwOnApiVersionMismatch: false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning("A signed Stripe webhook body could not be read as an event: {ExceptionType}", ex.GetType().Name);
            return StripeWebhookVerification.Refused(StripeWebhookRefusal.Malformed, "The signed body is not a Stripe event this service can read.");
        }

        return StripeEventShape.Problem(stripeEvent) is { } problem
            ? StripeWebhookVerification.Refused(StripeWebhookRefusal.Malformed, problem)
            : StripeWebhookVerification.Accepted(stripeEvent);
    }

    /// <summary>The event's <c>api_version</c>, read before the event is parsed into Stripe.net's objects.</summary>
    private static string? ApiVersionOf(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object
                   && json.RootElement.TryGetProperty("api_version", out var version) && version.ValueKind == JsonValueKind.String
                ? version.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
