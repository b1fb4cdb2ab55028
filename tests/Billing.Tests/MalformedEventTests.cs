using System.Net;
using System.Text.Json.Nodes;
using UFBrowsers.Billing.Tests.Infrastructure;
using UFBrowsers.Customers;
using UFBrowsers.StripeEvents;

namespace UFBrowsers.Billing.Tests;

/// <summary>
/// Events signed with the right secret whose bodies are not well-formed events: 400 malformed_event (a 5xx would have
/// Stripe deliver them again for days), and nothing changes.
/// </summary>
[Collection(BillingCollection.Name)]
public sealed class MalformedEventTests(BillingFixture fixture)
{
    private static readonly DateTimeOffset Anchor = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Malformations =>
    [
        "not json", "a json array", "no data", "no data.object", "data.object null", "data.object a string", "created a string",
        "type a number", "no id", "id a number", "line_items a number", "metadata an array", "expires_at a string", "data.object of another type",
    ];

    [Theory]
    [MemberData(nameof(Malformations))]
    public async Task A_signed_but_malformed_event_is_400_malformed_event_and_changes_nothing(string malformation)
    {
        var customer = await fixture.NewCustomer();
        var s = customer.Subscriber(BillingFixture.Small, Anchor);
        var valid = StripeEventFactory.CheckoutCompleted(s, Anchor.AddSeconds(5));
        var body = Malform(JsonNode.Parse(valid.Json)!.AsObject(), malformation);

        var response = await fixture.Webhooks().SendAsync(body, StripeWebhookSignature.Header(body, BillingFixture.WebhookSecret, DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("malformed_event", problem["code"]!.GetValue<string>());
        Assert.Empty(await customer.Ledger());
        Assert.Equal(SubscriptionStatus.None, (await customer.Account()).Status);
        // The inbox did not record the event id: the well-formed event with the same id still applies.
        Assert.Equal("applied", await fixture.Webhooks().Deliver(valid));
    }

    [Fact]
    public async Task A_malformed_body_with_a_wrong_signature_is_still_an_invalid_signature()
    {
        const string body = "not json";

        var response = await fixture.Webhooks().SendAsync(body, StripeWebhookSignature.Header(body, "whsec_someone_else", DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_signature", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_event_larger_than_the_apis_json_limit_is_read_and_one_over_512_KB_is_413()
    {
        var customer = await fixture.NewCustomer();
        var large = Padded(StripeEventFactory.CheckoutCompleted(customer.Subscriber(BillingFixture.Small, Anchor), Anchor.AddSeconds(5)).Json, 200_000);
        var tooLarge = Padded(StripeEventFactory.CheckoutCompleted(customer.Subscriber(BillingFixture.Small, Anchor), Anchor.AddSeconds(6)).Json, 600_000);

        var accepted = await fixture.Webhooks().SendAsync(large, StripeWebhookSignature.Header(large, BillingFixture.WebhookSecret, DateTimeOffset.UtcNow));
        var refused = await fixture.Webhooks().SendAsync(tooLarge, StripeWebhookSignature.Header(tooLarge, BillingFixture.WebhookSecret, DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal("body_too_large", JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["code"]!.GetValue<string>());
        Assert.Single(await customer.Ledger());
    }

    /// <summary>The event with a long description in its object's metadata, as a large real event would carry.</summary>
    private static string Padded(string json, int bytes)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node["data"]!["object"]!["metadata"]!["note"] = new string('n', bytes);
        return node.ToJsonString();
    }

    private static string Malform(JsonObject valid, string malformation)
    {
        var session = valid["data"]!["object"]!.AsObject();
        switch (malformation)
        {
            case "not json":
                return "checkout.session.completed, trust me";
            case "a json array":
                return new JsonArray(valid.DeepClone()).ToJsonString();
            case "no data":
                valid.Remove("data");
                break;
            case "no data.object":
                valid["data"]!.AsObject().Remove("object");
                break;
            case "data.object null":
                valid["data"]!["object"] = null;
                break;
            case "data.object a string":
                valid["data"]!["object"] = "cs_test_123";
                break;
            case "created a string":
                valid["created"] = "yesterday";
                break;
            case "type a number":
                valid["type"] = 42;
                break;
            case "no id":
                valid.Remove("id");
                break;
            case "id a number":
                valid["id"] = 42;
                break;
            case "line_items a number":
                session["line_items"] = 5;
                break;
            case "metadata an array":
                session["metadata"] = new JsonArray("plan", "small");
                break;
            case "expires_at a string":
                session["expires_at"] = "tomorrow";
                break;
            case "data.object of another type":
                session["object"] = "invoice";
                break;
        }

        return valid.ToJsonString();
    }
}
