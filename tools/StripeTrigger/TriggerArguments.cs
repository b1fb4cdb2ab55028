using System.Globalization;

namespace UFBrowsers.StripeTrigger;

/// <summary>The command line: an event name, then <c>--name value</c> options.</summary>
internal sealed record TriggerArguments(
    string Event,
    string CustomerId,
    Uri Url,
    string Secret,
    string PriceId,
    string Plan,
    long AmountCents,
    int Period,
    string Status)
{
    public const string Usage = """
        usage: StripeTrigger <event> --customer ID [options]

        events:   checkout-completed | checkout-pending | async-payment-succeeded | async-payment-failed
                  | invoice-paid | payment-failed | subscription-updated | subscription-deleted
        options:  --url URL            the UFBrowsers instance (default http://127.0.0.1:8080)
                  --secret SECRET      the webhook signing secret (or --secret-file PATH, or $UFB_STRIPE_WEBHOOK_SECRET)
                  --price PRICE_ID     the Stripe price (default price_ufb_professional)
                  --plan NAME          the plan that price is for (default professional)
                  --amount CENTS       the price's monthly amount (default 4900)
                  --period N           the billing period the invoice or subscription is in (default 1)
                  --status STATUS      subscription-updated only: Stripe's status (default active)
        """;

    public static TriggerArguments Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            throw new ArgumentException("Name the event to send.");
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--option value' at '{args[i]}'.");
            }

            options[args[i][2..]] = args[i + 1];
        }

        var secret = options.GetValueOrDefault("secret")
            ?? (options.TryGetValue("secret-file", out var file) ? File.ReadAllText(file).Trim() : null)
            ?? Environment.GetEnvironmentVariable("UFB_STRIPE_WEBHOOK_SECRET")
            ?? throw new ArgumentException("Give the webhook secret with --secret, --secret-file or UFB_STRIPE_WEBHOOK_SECRET.");

        return new TriggerArguments(
            args[0],
            options.GetValueOrDefault("customer") ?? throw new ArgumentException("--customer is required."),
            new Uri(options.GetValueOrDefault("url") ?? "http://127.0.0.1:8080"),
            secret,
            options.GetValueOrDefault("price") ?? "price_ufb_professional",
            options.GetValueOrDefault("plan") ?? "professional",
            long.Parse(options.GetValueOrDefault("amount") ?? "4900", CultureInfo.InvariantCulture),
            int.Parse(options.GetValueOrDefault("period") ?? "1", CultureInfo.InvariantCulture),
            options.GetValueOrDefault("status") ?? "active");
    }
}
