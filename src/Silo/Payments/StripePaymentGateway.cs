using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;
using UFBrowsers.Billing;
using UFBrowsers.Grains.Billing.Payments;
using CheckoutSessionCreateOptions = Stripe.Checkout.SessionCreateOptions;
using CheckoutSessionLineItemOptions = Stripe.Checkout.SessionLineItemOptions;
using CheckoutSessionService = Stripe.Checkout.SessionService;
using CheckoutSubscriptionDataOptions = Stripe.Checkout.SessionSubscriptionDataOptions;
using PortalSessionCreateOptions = Stripe.BillingPortal.SessionCreateOptions;
using PortalSessionService = Stripe.BillingPortal.SessionService;

namespace UFBrowsers.Silo.Payments;

/// <summary>
/// Checkout and portal sessions through Stripe.net's <see cref="StripeClient"/>, at the configured API base. Stripe's
/// refusals are sorted by whether a retry can help: a refused key (401/403), a price or customer that does not exist
/// (<c>resource_missing</c>) or any other invalid request (4xx but 409/429) is this installation's configuration, permanent
/// until an operator fixes it, and logged once per distinct error; 409, 429, 5xx and no answer may pass on retry.
/// </summary>
internal sealed class StripePaymentGateway : IPaymentGateway, IDisposable
{
    private readonly StripeOptions _options;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly StripeClient? _client;
    private readonly ConcurrentDictionary<string, bool> _reported = new(StringComparer.Ordinal);

    public StripePaymentGateway(IOptions<StripeOptions> options, ILogger<StripePaymentGateway> logger)
    {
        _options = options.Value;
        _logger = logger;
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(_options.RequestTimeoutSeconds) };
        if (!string.IsNullOrWhiteSpace(_options.SecretKey))
        {
            var clientOptions = new StripeClientOptions
            {
                ApiKey = _options.SecretKey,
                HttpClient = new SystemNetHttpClient(_http, _options.MaxNetworkRetries, appInfo: null, enableTelemetry: false),
            };
            if (!string.IsNullOrWhiteSpace(_options.ApiBase))
            {
                clientOptions.ApiBase = _options.ApiBase.TrimEnd('/');
            }

            _client = new StripeClient(clientOptions);
        }
    }

    public async Task<string> CreateCheckoutSessionAsync(CheckoutSessionRequest request, CancellationToken cancellationToken)
    {
        var metadata = new Dictionary<string, string>
        {
            [StripeMetadataKeys.CustomerId] = request.CustomerId,
            [StripeMetadataKeys.Plan] = request.Plan,
        };
        var create = new CheckoutSessionCreateOptions
        {
            Mode = "subscription",
            LineItems = [new CheckoutSessionLineItemOptions { Price = request.PriceId, Quantity = 1 }],
            ClientReferenceId = request.CustomerId,
            Customer = request.StripeCustomerId,
            SuccessUrl = _options.CheckoutSuccessUrl,
            CancelUrl = _options.CheckoutCancelUrl,
            Metadata = metadata,
            // Copied onto the subscription, and from it onto every invoice, so each later event names the customer.
            SubscriptionData = new CheckoutSubscriptionDataOptions { Metadata = new Dictionary<string, string>(metadata) },
        };
        var session = await Call(client => new CheckoutSessionService(client).CreateAsync(create, null, cancellationToken));
        return session.Url ?? throw new PaymentGatewayException("Stripe created a checkout session without a URL.");
    }

    public async Task<string> CreatePortalSessionAsync(string stripeCustomerId, CancellationToken cancellationToken)
    {
        var create = new PortalSessionCreateOptions { Customer = stripeCustomerId, ReturnUrl = _options.PortalReturnUrl };
        var session = await Call(client => new PortalSessionService(client).CreateAsync(create, null, cancellationToken));
        return session.Url ?? throw new PaymentGatewayException("Stripe created a portal session without a URL.");
    }

    public void Dispose() => _http.Dispose();

    private static bool IsConfigurationError(StripeException ex) =>
        ex.HttpStatusCode is >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError
            and not HttpStatusCode.Conflict and not HttpStatusCode.TooManyRequests;

    private async Task<T> Call<T>(Func<StripeClient, Task<T>> request)
    {
        if (_client is null)
        {
            throw new PaymentGatewayException("Stripe is not configured (UFBrowsers:Stripe:SecretKey is empty).", PaymentGatewayFailure.NotConfigured);
        }

        try
        {
            return await request(_client);
        }
        catch (StripeException ex) when (IsConfigurationError(ex))
        {
            var message = $"Stripe refused this installation's configuration ({(int)ex.HttpStatusCode} {ex.StripeError?.Code ?? ex.StripeError?.Type}): {ex.StripeError?.Message ?? ex.Message}";
            if (_reported.TryAdd(message, true))
            {
                _logger.LogError("{Problem}. Check UFBrowsers:Stripe:SecretKey and the plans' StripePriceId; checkout and portal fail until it is fixed (logged once)", message);
            }

            throw new PaymentGatewayException(message, PaymentGatewayFailure.Misconfigured, ex);
        }
        catch (StripeException ex)
        {
            throw new PaymentGatewayException($"Stripe refused the request ({(int)ex.HttpStatusCode}): {ex.StripeError?.Message ?? ex.Message}", innerException: ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or TimeoutException)
        {
            throw new PaymentGatewayException("Stripe did not answer.", innerException: ex);
        }
    }
}
