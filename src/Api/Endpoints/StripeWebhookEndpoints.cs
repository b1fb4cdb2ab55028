using System.Text;
using Microsoft.AspNetCore.Mvc;
using UFBrowsers.Api.Auditing;
using UFBrowsers.Api.Contracts;
using UFBrowsers.Api.Problems;
using UFBrowsers.Billing;
using UFBrowsers.Grains.Telemetry;
using UFBrowsers.Silo.Payments;

namespace UFBrowsers.Api.Endpoints;

/// <summary>
/// Stripe's webhook. Authenticated by the signature, not an API key: a missing, bad or stale signature is 400
/// and nothing is read further. A correctly signed body that is not a well-formed event (not JSON, wrong value types, no
/// <c>data.object</c>) is 400 <c>malformed_event</c>; an event rendered for another Stripe API version than this build
/// reads is 400 <c>stripe_api_version_mismatch</c> (the operator must fix the endpoint's version); neither changes anything.
/// A verified event goes to its inbox grain; a failure to apply it surfaces as 5xx (the exception handler), which makes
/// Stripe deliver it again. Every delivery is audited (actor <c>stripe</c> once verified) and counted by type and outcome.
/// </summary>
internal static class StripeWebhookEndpoints
{
    /// <summary>
    /// Larger than the API's 64 KB for JSON requests: an event carries a whole Stripe object (an invoice with its lines,
    /// a subscription with its items), usually 2-30 KB and sometimes far more. 512 KB is well past any event this service
    /// acts on, and still bounds what an unsigned request can cost (the whole body is read to check its signature).
    /// </summary>
    public const int MaxBodyBytes = 512 * 1024;

    public static RouteGroupBuilder MapStripeWebhookEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/webhooks/stripe", Receive).AllowAnonymous().AddEndpointFilter<AuditFilter>().WithTags("Stripe").WithName("StripeWebhook")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));
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

        // The signature covers the exact bytes Stripe sent, so the body is read raw, never through a JSON binder.
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(http.RequestAborted);

        var verification = verifier.Verify(body, request.Headers["Stripe-Signature"].FirstOrDefault());
        if (verification.Refusal == StripeWebhookRefusal.Malformed)
        {
            // A 4xx, not a 5xx: Stripe redelivers a 5xx for days, and this body will never read better.
            http.Items[AuditDetails.Key] = new AuditDetails("stripe", null, null, null);
            metrics.WebhookEvent("unknown", "malformed");
            loggers.CreateLogger(typeof(StripeWebhookEndpoints)).LogWarning("Refused a signed but malformed Stripe event: {Reason}", verification.Error);
            return ApiProblem.BadRequest("malformed_event", verification.Error!);
        }

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
