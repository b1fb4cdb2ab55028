using System.Security.Claims;
using UFBrowsers.Api.Auditing;
using UFBrowsers.Api.Authentication;
using UFBrowsers.Api.Contracts;
using UFBrowsers.Api.Problems;
using UFBrowsers.Billing;

namespace UFBrowsers.Api.Endpoints;

/// <summary>Links to Stripe's hosted pages: a checkout to subscribe, the customer portal to manage the subscription.</summary>
internal static class BillingEndpoints
{
    public static RouteGroupBuilder MapBillingEndpoints(this RouteGroupBuilder v1)
    {
        var billing = v1.MapGroup("/billing").RequireAuthorization(AuthPolicies.Customer).AddEndpointFilter<AuditFilter>().WithTags("Billing");
        billing.MapPost("/checkout", Checkout).WithName("StartCheckout");
        billing.MapPost("/portal", Portal).WithName("OpenBillingPortal");
        return v1;
    }

    private static async Task<IResult> Checkout(ClaimsPrincipal user, IGrainFactory grains, CheckoutRequest? body)
    {
        if (body?.Plan is not { } plan)
        {
            return ApiProblem.BadRequest("invalid_plan", "plan is required.");
        }

        return Answer(await grains.For<IStripeSubscriptionGrain>(user.CustomerId()).StartCheckout(plan));
    }

    private static async Task<IResult> Portal(ClaimsPrincipal user, IGrainFactory grains) =>
        Answer(await grains.For<IStripeSubscriptionGrain>(user.CustomerId()).OpenPortal());

    private static IResult Answer(BillingRedirect redirect) =>
        redirect.Outcome == BillingRedirectOutcome.Created
            ? TypedResults.Ok(new BillingRedirectResponse(redirect.Url!))
            : BillingProblems.For(redirect);
}
