using UFBrowsers.StripeEvents;
using UFBrowsers.StripeTrigger;

// Like `stripe trigger`, for a local instance: builds one realistic event for a customer, signs it with the
// webhook secret and posts it to the instance's webhook endpoint. Exits non-zero unless the answer is 2xx.
TriggerArguments arguments;
try
{
    arguments = TriggerArguments.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or IOException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(TriggerArguments.Usage);
    return 2;
}

var now = DateTimeOffset.UtcNow;
var subscriber = StripeSubscriber.ThisMonth(arguments.CustomerId, new StripePrice(arguments.PriceId, arguments.Plan, arguments.AmountCents), now);
StripeEventPayload? payload = arguments.Event switch
{
    "checkout-completed" => StripeEventFactory.CheckoutCompleted(subscriber, now),
    "checkout-pending" => StripeEventFactory.CheckoutCompleted(subscriber, now, paymentStatus: "unpaid"),
    "async-payment-succeeded" => StripeEventFactory.CheckoutAsyncPaymentSucceeded(subscriber, now),
    "async-payment-failed" => StripeEventFactory.CheckoutAsyncPaymentFailed(subscriber, now),
    "invoice-paid" => StripeEventFactory.InvoicePaid(subscriber, arguments.Period, now),
    "payment-failed" => StripeEventFactory.InvoicePaymentFailed(subscriber, arguments.Period, now),
    "subscription-updated" => StripeEventFactory.SubscriptionUpdated(subscriber, arguments.Status, arguments.Period, now),
    "subscription-deleted" => StripeEventFactory.SubscriptionDeleted(subscriber, arguments.Period, now),
    _ => null,
};
if (payload is null)
{
    Console.Error.WriteLine($"Unknown event '{arguments.Event}'.");
    Console.Error.WriteLine(TriggerArguments.Usage);
    return 2;
}

using var http = new HttpClient { BaseAddress = arguments.Url, Timeout = TimeSpan.FromSeconds(30) };
try
{
    using var response = await new StripeWebhookSender(http, arguments.Secret).SendAsync(payload);
    Console.WriteLine($"{payload.Type} {payload.Id} for {arguments.CustomerId} -> {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    return response.IsSuccessStatusCode ? 0 : 1;
}
catch (HttpRequestException ex)
{
    Console.Error.WriteLine($"Could not reach {arguments.Url}: {ex.Message}");
    return 1;
}
