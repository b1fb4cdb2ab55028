namespace UFBrowsers.Billing.Tests.Infrastructure;

/// <summary>One request the fake Stripe received: path, Authorization header and form fields (Stripe's bracket names).</summary>
public sealed record RecordedStripeRequest(string Path, string Authorization, IReadOnlyDictionary<string, string> Form);
