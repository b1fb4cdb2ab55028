using System.Net;
using UFBrowsers.Billing.Tests.Infrastructure;
using UFBrowsers.Customers;
using UFBrowsers.StripeEvents;

namespace UFBrowsers.Billing.Tests;

/// <summary>Forged, tampered and stale deliveries get 400 and change nothing, not even the inbox.</summary>
[Collection(BillingCollection.Name)]
public sealed class WebhookSignatureTests(BillingFixture fixture)
{
    private static readonly DateTimeOffset Anchor = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Forgeries() => ["tampered body", "wrong secret", "expired timestamp", "no signature", "garbled signature"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_delivery_that_fails_verification_is_400_and_changes_nothing(string forgery)
    {
        var customer = await fixture.NewCustomer();
        var checkout = StripeEventFactory.CheckoutCompleted(customer.Subscriber(BillingFixture.Small, Anchor), Anchor);
        var now = DateTimeOffset.UtcNow;
        var (body, header) = forgery switch
        {
            "tampered body" => (checkout.Json.Replace("\"amount_total\":900", "\"amount_total\":1"), Sign(checkout.Json, BillingFixture.WebhookSecret, now)),
            "wrong secret" => (checkout.Json, Sign(checkout.Json, "whsec_not_the_endpoints_secret", now)),
            "expired timestamp" => (checkout.Json, Sign(checkout.Json, BillingFixture.WebhookSecret, now.AddSeconds(-301))),
            "no signature" => (checkout.Json, null),
            _ => (checkout.Json, "t=not-a-time,v1=zz"),
        };

        using var response = await fixture.Webhooks().SendAsync(body, header);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_signature", (await response.Json())["code"]!.GetValue<string>());
        var account = await customer.Account();
        Assert.Equal((SubscriptionStatus.None, 0L, false), (account.Status, account.Balance, account.TenantProvisioned));
        Assert.Empty(await customer.Ledger());

        // Nothing was recorded in the inbox either: the genuine delivery of that event id is applied, not a duplicate.
        Assert.Equal("applied", await fixture.Webhooks().Deliver(checkout));
        Assert.Equal(SubscriptionStatus.Active, (await customer.Account()).Status);
    }

    [Fact]
    public async Task A_signature_299_seconds_old_is_still_accepted()
    {
        var customer = await fixture.NewCustomer();
        var checkout = StripeEventFactory.CheckoutCompleted(customer.Subscriber(BillingFixture.Small, Anchor), Anchor);

        using var response = await fixture.Webhooks().SendAsync(checkout.Json, Sign(checkout.Json, BillingFixture.WebhookSecret, DateTimeOffset.UtcNow.AddSeconds(-299)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string Sign(string body, string secret, DateTimeOffset at) => StripeWebhookSignature.Header(body, secret, at);
}
