using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using UFBrowsers.StripeEvents;

namespace UFBrowsers.Billing.Tests.Infrastructure;

internal static class WebhookAssertions
{
    /// <summary>Sends the event signed now and returns the outcome it was answered with (applied, duplicate, ignored).</summary>
    public static async Task<string> Deliver(this StripeWebhookSender sender, StripeEventPayload payload)
    {
        using var response = await sender.SendAsync(payload);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{payload.Type} {payload.Id}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["outcome"]!.GetValue<string>();
    }

    public static async Task<JsonNode> Json(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonNode>())!;
}
