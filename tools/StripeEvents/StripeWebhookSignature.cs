using System.Globalization;
using Stripe;

namespace UFBrowsers.StripeEvents;

/// <summary>The <c>Stripe-Signature</c> header Stripe sends: <c>t=timestamp,v1=HMAC-SHA256(secret, "timestamp.body")</c>.</summary>
public static class StripeWebhookSignature
{
    public static string Header(string payload, string secret, DateTimeOffset signedAt)
    {
        var timestamp = signedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={timestamp},v1={EventUtility.ComputeSignature(secret, timestamp, payload)}";
    }
}
