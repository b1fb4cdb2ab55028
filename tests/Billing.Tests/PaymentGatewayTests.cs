using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains.Billing.Payments;
using UFBrowsers.Silo.Payments;

namespace UFBrowsers.Billing.Tests;

/// <summary>The Stripe gateway's own failures, without a host: not configured, and nobody listening.</summary>
public sealed class PaymentGatewayTests
{
    private static readonly CheckoutSessionRequest Checkout = new("cus-1", "small", "price_x", null);

    [Fact]
    public async Task Without_a_secret_key_the_gateway_reports_not_configured()
    {
        using var gateway = new StripePaymentGateway(Options.Create(new StripeOptions()), NullLogger<StripePaymentGateway>.Instance);

        var ex = await Assert.ThrowsAsync<PaymentGatewayException>(() => gateway.CreateCheckoutSessionAsync(Checkout, CancellationToken.None));

        Assert.True(ex.NotConfigured);
    }

    [Fact]
    public async Task Stripe_down_is_unavailable_not_a_crash()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var gateway = new StripePaymentGateway(Options.Create(new StripeOptions
        {
            SecretKey = "sk_test_x",
            ApiBase = $"http://127.0.0.1:{port}",
            MaxNetworkRetries = 0,
        }), NullLogger<StripePaymentGateway>.Instance);

        var ex = await Assert.ThrowsAsync<PaymentGatewayException>(() => gateway.CreatePortalSessionAsync("cus_x", CancellationToken.None));

        Assert.Equal(PaymentGatewayFailure.Unavailable, ex.Failure);
    }
}
