using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Stripe;
using UFBrowsers.Billing.Tests.Infrastructure;
using UFBrowsers.Customers;
using UFBrowsers.StripeEvents;

namespace UFBrowsers.Billing.Tests;

/// <summary>Configuration that cannot work is answered as such, not as a passing outage, and logged once.</summary>
[Collection(BillingCollection.Name)]
public sealed class StripeConfigurationTests(BillingFixture fixture)
{
    private static readonly DateTimeOffset Anchor = new(2026, 8, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_event_of_another_api_version_is_refused_with_a_clear_error_applies_nothing_and_is_logged_once()
    {
        var customer = await fixture.NewCustomer();
        var checkout = StripeEventFactory.CheckoutCompleted(customer.Subscriber(BillingFixture.Small, Anchor), Anchor);
        var oldVersion = StripeEventFactory.WithApiVersion(checkout, "2019-12-03");

        using var first = await fixture.Webhooks().SendAsync(oldVersion);
        using var second = await fixture.Webhooks().SendAsync(oldVersion);

        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        var problem = await first.Json();
        Assert.Equal("stripe_api_version_mismatch", problem["code"]!.GetValue<string>());
        Assert.Contains("2019-12-03", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(StripeConfiguration.ApiVersion, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal(1, fixture.Logs.Count(LogLevel.Error, "API version 2019-12-03"));
        Assert.Equal((SubscriptionStatus.None, 0L), ((await customer.Account()).Status, (await customer.Account()).Balance));

        // Nothing was recorded: once the endpoint sends this build's version, the same event applies.
        Assert.Equal("applied", await fixture.Webhooks().Deliver(checkout));
    }

    public static TheoryData<int, string, string?, string> ConfigurationErrors() => new()
    {
        { 401, "invalid_request_error", null, "Invalid API Key provided: sk_test_****6789" },
        { 400, "invalid_request_error", "resource_missing", "No such price: 'price_test_small'" },
        { 403, "invalid_request_error", "secret_key_required", "This API call cannot be made with a publishable API key." },
    };

    [Theory]
    [MemberData(nameof(ConfigurationErrors))]
    public async Task A_bad_key_or_missing_price_is_a_configuration_error_not_an_outage_and_logged_once(int status, string type, string? code, string message)
    {
        var customer = await fixture.NewCustomer();
        fixture.Stripe.FailWithStatus = status;
        fixture.Stripe.FailWithError = new { type, code, param = code == "resource_missing" ? "line_items[0][price]" : null, message };
        try
        {
            using var first = await customer.Client.PostAsJsonAsync("/v1/billing/checkout", new { plan = "small" });
            using var second = await customer.Client.PostAsJsonAsync("/v1/billing/checkout", new { plan = "small" });

            Assert.Equal(HttpStatusCode.InternalServerError, first.StatusCode);
            Assert.Equal("stripe_misconfigured", (await first.Json())["code"]!.GetValue<string>());
            Assert.Null(first.Headers.RetryAfter);
            Assert.DoesNotContain("sk_test", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.InternalServerError, second.StatusCode);
            Assert.Equal(1, fixture.Logs.Count(LogLevel.Error, message));
        }
        finally
        {
            fixture.Stripe.FailWithStatus = null;
            fixture.Stripe.FailWithError = null;
        }
    }
}
