using System.Text.Json.Nodes;
using Stripe;
using UFBrowsers.StripeEvents;

namespace UFBrowsers.Billing.Tests.Infrastructure;

/// <summary>Events built from Stripe's documented example objects (StripeExamples/), changed only where a scenario needs it.</summary>
public static class DocumentedStripeEvents
{
    public static JsonObject CheckoutSession() => Load("checkout.session.json");

    public static JsonObject Invoice() => Load("invoice.json");

    /// <summary>Stripe's documented event envelope around <paramref name="dataObject"/>, at the API version this build pins.</summary>
    public static StripeEventPayload Event(string type, JsonObject dataObject, DateTimeOffset created)
    {
        var envelope = Load("event.json");
        var id = StripeEventFactory.NewEventId();
        envelope["id"] = id;
        envelope["type"] = type;
        envelope["api_version"] = StripeConfiguration.ApiVersion;
        envelope["created"] = created.ToUnixTimeSeconds();
        envelope["data"] = new JsonObject { ["object"] = dataObject.DeepClone() };
        return new StripeEventPayload(id, type, envelope.ToJsonString());
    }

    private static JsonObject Load(string file) =>
        JsonNode.Parse(System.IO.File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "StripeExamples", file)))!.AsObject();
}
