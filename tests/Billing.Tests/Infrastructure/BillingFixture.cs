using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UFBrowsers.Customers;
using UFBrowsers.Grains.Billing;
using UFBrowsers.Grains.Pods;
using UFBrowsers.StripeEvents;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Billing.Tests.Infrastructure;

/// <summary>
/// The API and its co-hosted silo in memory with fake pods, Stripe configured against <see cref="FakeStripeApi"/>,
/// and two plans for sale: small (<see cref="Small"/>) and professional (<see cref="Professional"/>). One per collection;
/// every test works on fresh customers.
/// </summary>
public sealed class BillingFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string OperatorToken = "billing-operator-token-0123456789";
    public const string WebhookSecret = "whsec_test_5b1c0a4e9d3f4e7a8c2b6d0f1e3a5c7b";
    public const string SecretKey = "sk_test_fake_0123456789";

    public static readonly StripePrice Small = new("price_test_small", "small", 900);
    public static readonly StripePrice Professional = new("price_test_professional", "professional", 4900);

    public FakeStripeApi Stripe { get; } = new();

    public FakePodProvider Pods { get; } = new();

    public FailingLedgerStore Ledger { get; } = new();

    /// <summary>Every log entry the host wrote, for checks that something is logged (and only once).</summary>
    public LogSink Logs { get; } = new();

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("UFBrowsers:Silo:SiloPort", FreePort.Next().ToString());
        builder.UseSetting("UFBrowsers:Silo:GatewayPort", FreePort.Next().ToString());
        builder.UseSetting("UFBrowsers:Operator:Token", OperatorToken);
        builder.UseSetting("UFBrowsers:Stripe:WebhookSecret", WebhookSecret);
        builder.UseSetting("UFBrowsers:Stripe:SecretKey", SecretKey);
        builder.UseSetting("UFBrowsers:Stripe:ApiBase", Stripe.BaseUrl);
        builder.UseSetting("UFBrowsers:Stripe:MaxNetworkRetries", "0");
        builder.UseSetting("UFBrowsers:Billing:Plans:small:MonthlyPriceCents", "900");
        builder.UseSetting("UFBrowsers:Billing:Plans:small:CreditsPerPeriod", "500");
        builder.UseSetting("UFBrowsers:Billing:Plans:small:ConcurrencyLimit", "2");
        builder.UseSetting("UFBrowsers:Billing:Plans:small:MaxSessionMinutes", "5");
        builder.UseSetting("UFBrowsers:Billing:Plans:small:StripePriceId", Small.Id);
        builder.UseSetting("UFBrowsers:Billing:Plans:professional:StripePriceId", Professional.Id);
        builder.UseSetting("UFBrowsers:Billing:Plans:internal:MonthlyPriceCents", "0");
        builder.UseSetting("UFBrowsers:Billing:Plans:internal:CreditsPerPeriod", "100");
        builder.UseSetting("UFBrowsers:Billing:Plans:internal:ConcurrencyLimit", "1");
        builder.UseSetting("UFBrowsers:Billing:Plans:internal:MaxSessionMinutes", "5");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IPodProvider>(Pods);
            services.AddSingleton<ILedgerStore>(Ledger);
        });
    }

    /// <summary>A sender that signs with the webhook secret, as Stripe does.</summary>
    public StripeWebhookSender Webhooks(string secret = WebhookSecret, TimeProvider? clock = null) => new(CreateClient(), secret, clock);

    public HttpClient WithKey(string apiKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>A customer created by an operator with no subscription yet, and a client holding its API key.</summary>
    public async Task<TestCustomer> NewCustomer(string plan = "small")
    {
        using var op = CreateClient();
        op.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorToken);
        var id = "cus-" + Guid.NewGuid().ToString("N")[..12];
        var created = await op.PostAsJsonAsync("/admin/customers", new { id, name = "Customer " + id, plan });
        created.EnsureSuccessStatusCode();
        var apiKey = (await created.Content.ReadFromJsonAsync<JsonNode>())!["apiKey"]!["key"]!.GetValue<string>();
        return new TestCustomer(id, WithKey(apiKey), Grains.GetGrain<ICustomerGrain>(id));
    }

    async Task IAsyncLifetime.InitializeAsync()
    {
        await Stripe.StartAsync();
        _ = Server;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
    }
}

public sealed record TestCustomer(string Id, HttpClient Client, ICustomerGrain Grain)
{
    public StripeSubscriber Subscriber(StripePrice price, DateTimeOffset anchor) => new(Id, price, anchor);

    public async Task<Account> Account() => (await Grain.GetAccount())!;

    public async Task<IReadOnlyList<LedgerEntry>> Ledger() => (await Grain.GetLedger(1000, null)).Entries;
}

[CollectionDefinition(Name)]
public sealed class BillingCollection : ICollectionFixture<BillingFixture>
{
    public const string Name = "billing";
}
