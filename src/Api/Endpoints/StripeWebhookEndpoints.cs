using System.Text;
using Microsoft.AspNetCore.Mvc;
using UFBrowsers.Api.Contracts;
using UFBrowsers.Api.Problems;
using UFBrowsers.Billing;
using UFBrowsers.Silo.Payments;

namespace UFBrowsers.Api.Endpoints;

/// <summary>
/// Stripe's webhook. Authenticated by the signature, not an API key: a missing, bad or stale signature is 400
/// and nothing is read further. A correctly signed body that is not a well-formed event (not JSON, wrong value types, no
/// <c>data.object</c>) is 400 <c>malformed_event</c> and changes nothing. A verified event goes to its inbox grain; a
/// failure to apply it surfaces as 5xx (the exception handler), which makes Stripe deliver it again.
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
        v1.MapPost("/webhooks/stripe", Receive).AllowAnonymous().WithTags("Stripe").WithName("StripeWebhook")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));
        return v1;
    }

    private static async Task<IResult> Receive(HttpRequest request, StripeWebhookVerifier verifier, IGrainFactory grains, ILoggerFactory loggers)
    {
        if (!verifier.IsConfigured)
        {
            return new ApiProblem(StatusCodes.Status503ServiceUnavailable, "stripe_webhooks_not_configured", "Service unavailable",
                "No Stripe webhook secret is configured; events cannot be verified.");
        }

        // The signature covers the exact bytes Stripe sent, so the body is read raw, never through a JSON binder.
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);

        var verification = verifier.Verify(body, request.Headers["Stripe-Signature"].FirstOrDefault());
        if (verification.IsMalformed)
        {
            // A 4xx, not a 5xx: Stripe redelivers a 5xx for days, and this body will never read better.
            loggers.CreateLogger(typeof(StripeWebhookEndpoints)).LogWarning("Refused a signed but malformed Stripe event: {Reason}", verification.Error);
            return ApiProblem.BadRequest("malformed_event", verification.Error!);
        }

        if (!verification.Verified)
        {
            loggers.CreateLogger(typeof(StripeWebhookEndpoints)).LogWarning("Refused a Stripe webhook: {Reason}", verification.Error);
            return ApiProblem.BadRequest("invalid_signature", $"The Stripe signature could not be verified: {verification.Error}");
        }

        var stripeEvent = verification.Event!;
        if (StripeEventTranslator.Translate(stripeEvent) is not { } billingEvent)
        {
            return TypedResults.Ok(new StripeWebhookReceipt(stripeEvent.Id, StripeEventOutcome.Ignored, $"Event type '{stripeEvent.Type}' is not used."));
        }

        var result = await grains.For<IStripeEventInboxGrain>(stripeEvent.Id).Process(billingEvent);
        return TypedResults.Ok(new StripeWebhookReceipt(stripeEvent.Id, result.Outcome, result.Detail));
    }
}
