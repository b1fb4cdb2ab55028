namespace UFBrowsers.StripeEvents;

/// <summary>An event as Stripe delivers it: its id, its type and the exact JSON body that gets signed.</summary>
public sealed record StripeEventPayload(string Id, string Type, string Json);
