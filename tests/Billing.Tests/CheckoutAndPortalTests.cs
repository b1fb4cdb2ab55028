using System.Net;
using System.Net.Http.Json;
using UFBrowsers.Billing.Tests.Infrastructure;
using UFBrowsers.StripeEvents;

namespace UFBrowsers.Billing.Tests;

/// <summary>Checkout and portal links, made through Stripe.net against the fake Stripe API.</summary>
[Collection(BillingCollection.Name)]
public sealed class CheckoutAndPortalTests(BillingFixture fixture)
{
    [Fact]
    public async Task Checkout_creates_a_subscription_checkout_for_the_plans_price_with_the_customer_as_client_reference()
    {
        var customer = await fixture.NewCustomer();

        var response = await customer.Client.PostAsJsonAsync("/v1/billing/checkout", new { plan = "Professional" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("https://checkout.stripe.com/c/pay/cs_test_", (await response.Json())["url"]!.GetValue<string>());
        var request = LastRequestFor(customer.Id);
        Assert.Equal("/v1/checkout/sessions", request.Path);
        Assert.Equal("Bearer " + BillingFixture.SecretKey, request.Authorization);
        Assert.Equal("subscription", request.Form["mode"]);
        Assert.Equal(BillingFixture.Professional.Id, request.Form["line_items[0][price]"]);
        Assert.Equal("1", request.Form["line_items[0][quantity]"]);
        Assert.Equal(customer.Id, request.Form["subscription_data[metadata][ufb_customer_id]"]);
        Assert.Equal("professional", request.Form["metadata[ufb_plan]"]);
        Assert.False(request.Form.ContainsKey("customer"));
    }

    [Fact]
    public async Task Checkout_refuses_unknown_plans_plans_without_a_price_and_missing_input()
    {
        var customer = await fixture.NewCustomer();
        var before = fixture.Stripe.Requests.Count;

        var unknown = await customer.Client.PostAsJsonAsync("/v1/billing/checkout", new { plan = "platinum" });
        var notForSale = await customer.Client.PostAsJsonAsync("/v1/billing/checkout", new { plan = "internal" });
        var missing = await customer.Client.PostAsJsonAsync("/v1/billing/checkout", new { });
        var anonymous = await fixture.CreateClient().PostAsJsonAsync("/v1/billing/checkout", new { plan = "small" });

        Assert.Equal((HttpStatusCode.UnprocessableEntity, "unknown_plan"), (unknown.StatusCode, (await unknown.Json())["code"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "plan_not_for_sale"), (notForSale.StatusCode, (await notForSale.Json())["code"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(before, fixture.Stripe.Requests.Count);
    }

    [Fact]
    public async Task The_portal_needs_a_linked_stripe_customer_and_opens_for_it()
    {
        var customer = await fixture.NewCustomer();
        var s = customer.Subscriber(BillingFixture.Small, new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero));

        var early = await customer.Client.PostAsync("/v1/billing/portal", null);
        Assert.Equal((HttpStatusCode.Conflict, "no_billing_account"), (early.StatusCode, (await early.Json())["code"]!.GetValue<string>()));

        await fixture.Webhooks().Deliver(StripeEventFactory.CheckoutCompleted(s, s.Anchor));
        var portal = await customer.Client.PostAsync("/v1/billing/portal", null);

        Assert.Equal(HttpStatusCode.OK, portal.StatusCode);
        Assert.StartsWith("https://billing.stripe.com/p/session/bps_", (await portal.Json())["url"]!.GetValue<string>());
        var request = fixture.Stripe.Requests.Last(r => r.Form.GetValueOrDefault("customer") == s.StripeCustomerId);
        Assert.Equal("/v1/billing_portal/sessions", request.Path);

        // A customer who has a Stripe customer checks out as that customer, not as a new one.
        await customer.Client.PostAsJsonAsync("/v1/billing/checkout", new { plan = "professional" });
        Assert.Equal(s.StripeCustomerId, LastRequestFor(customer.Id).Form["customer"]);
    }

    [Fact]
    public async Task Stripe_failing_is_503_with_retry_after()
    {
        var customer = await fixture.NewCustomer();
        fixture.Stripe.FailWithStatus = 500;
        try
        {
            var response = await customer.Client.PostAsJsonAsync("/v1/billing/checkout", new { plan = "small" });

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("stripe_unavailable", (await response.Json())["code"]!.GetValue<string>());
            Assert.True(response.Headers.RetryAfter is not null);
        }
        finally
        {
            fixture.Stripe.FailWithStatus = null;
        }
    }

    private RecordedStripeRequest LastRequestFor(string customerId) =>
        fixture.Stripe.Requests.Last(r => r.Form.GetValueOrDefault("client_reference_id") == customerId);
}
