using System.Text;
using UFBrowsers.Api.Auditing;
using UFBrowsers.Api.Contracts;
using UFBrowsers.Api.Problems;
using UFBrowsers.Billing;
using UFBrowsers.Grains.Telemetry;
using UFBrowsers.Silo.Payments;

namespace UFBrowsers.Api.Endpoints;

/// <summary>
/// Stripe's webhook. Authenticated by the signature, not an API key: a missing, bad or stale signature is 400
/// and nothing is read further; an event rendered for another Stripe API version than this build reads is 400
/// <c>stripe_api_version_mismatch</c> (Stripe delivers it again, and the operator must fix the endpoint's version). A
/// verified event goes to its inbox grain; a failure to apply it surfaces as 5xx (the exception handler), which makes
/// Stripe deliver it again. Every delivery is audited (actor <c>stripe</c> once verified) and counted by type and outcome.
/// </summary>
internal static class StripeWebhookEndpoints
{
    /// <summary>Stripe's events are a few kilobytes; anything far larger is not one.</summary>
    private const int MaxBodyBytes = 512 * 1024;

    public static RouteGroupBuilder MapStripeWebhookEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/webhooks/stripe", Receive).AllowAnonymous().AddEndpointFilter<AuditFilter>().WithTags("Stripe").WithName("StripeWebhook");
        return v1;
    }

    private static async Task<IResult> Receive(HttpRequest request, StripeWebhookVerifier verifier, IGrainFactory grains, UFBrowsersMetrics metrics, ILoggerFactory loggers)
    {
        var http = request.HttpContext;
        http.Items[AuditDetails.Key] = new AuditDetails("unverified", null, null, null);
        if (!verifier.IsConfigured)
        {
            metrics.WebhookEvent("unknown", "not_configured");
            return new ApiProblem(StatusCodes.Status501NotImplemented, "stripe_webhooks_not_configured", "Not configured",
                "No Stripe webhook secret is configured (UFBrowsers:Stripe:WebhookSecret); events cannot be verified. Stripe keeps the event and delivers it again.");
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            metrics.WebhookEvent("unknown", "payload_too_large");
            return new ApiProblem(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "Payload too large", "A Stripe event is never this large.");
        }

        // The signature covers the exact bytes Stripe sent, so the body is read raw, never through a JSON binder.
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(http.RequestAborted);

        var verification = verifier.Verify(body, request.Headers["Stripe-Signature"].FirstOrDefault());
        if (verification.Refusal == StripeWebhookRefusal.ApiVersionMismatch)
        {
            // Signed by Stripe, so its actor is Stripe; logged once by the verifier, answered on every delivery.
            http.Items[AuditDetails.Key] = new AuditDetails("stripe", null, null, null);
            metrics.WebhookEvent("unknown", "api_version_mismatch");
            return ApiProblem.BadRequest("stripe_api_version_mismatch", verification.Error!);
        }

        if (!verification.Verified)
        {
            metrics.WebhookEvent("unknown", "invalid_signature");
            loggers.CreateLogger(typeof(StripeWebhookEndpoints)).LogWarning("Refused a Stripe webhook: {Reason}", verification.Error);
            return ApiProblem.BadRequest("invalid_signature", $"The Stripe signature could not be verified: {verification.Error}");
        }

        var stripeEvent = verification.Event!;
        if (StripeEventTranslator.Translate(stripeEvent) is not { } billingEvent)
        {
            http.Items[AuditDetails.Key] = new AuditDetails("stripe", stripeEvent.Id, null, stripeEvent.Id);
            metrics.WebhookEvent(stripeEvent.Type, "ignored");
            return TypedResults.Ok(new StripeWebhookReceipt(stripeEvent.Id, StripeEventOutcome.Ignored, $"Event type '{stripeEvent.Type}' is not used."));
        }

        http.Items[AuditDetails.Key] = new AuditDetails("stripe", stripeEvent.Id, billingEvent.CustomerId, stripeEvent.Id);
        StripeEventResult result;
        try
        {
            result = await grains.For<IStripeEventInboxGrain>(stripeEvent.Id).Process(billingEvent);
        }
        catch
        {
            metrics.WebhookEvent(stripeEvent.Type, "failed");
            throw;
        }

        metrics.WebhookEvent(stripeEvent.Type, result.Outcome.ToString().ToLowerInvariant());
        return TypedResults.Ok(new StripeWebhookReceipt(stripeEvent.Id, result.Outcome, result.Detail));
    }
}
