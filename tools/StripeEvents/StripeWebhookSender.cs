using System.Net.Http.Headers;
using System.Text;

namespace UFBrowsers.StripeEvents;

/// <summary>Posts signed events to a webhook endpoint the way Stripe does (raw JSON body, <c>Stripe-Signature</c> header).</summary>
public sealed class StripeWebhookSender(HttpClient http, string secret, TimeProvider? clock = null)
{
    public const string DefaultPath = "/v1/webhooks/stripe";

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public Task<HttpResponseMessage> SendAsync(StripeEventPayload payload, CancellationToken cancellationToken = default) =>
        SendAsync(payload.Json, StripeWebhookSignature.Header(payload.Json, secret, _clock.GetUtcNow()), cancellationToken);

    /// <summary>Sends <paramref name="body"/> with exactly <paramref name="signatureHeader"/> (or none), for forged or replayed deliveries.</summary>
    public async Task<HttpResponseMessage> SendAsync(string body, string? signatureHeader, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, DefaultPath)
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" }),
        };
        if (signatureHeader is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signatureHeader);
        }

        return await http.SendAsync(request, cancellationToken);
    }
}
