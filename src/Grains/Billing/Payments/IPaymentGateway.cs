namespace UFBrowsers.Grains.Billing.Payments;

/// <summary>
/// The payment provider's hosted pages (Stripe in production, a recording fake in tests). Failures are
/// <see cref="PaymentGatewayException"/>s; the grains turn them into answers and never retry on their own.
/// </summary>
public interface IPaymentGateway
{
    /// <summary>Creates a hosted checkout page for a subscription and returns its URL.</summary>
    Task<string> CreateCheckoutSessionAsync(CheckoutSessionRequest request, CancellationToken cancellationToken);

    /// <summary>Creates a customer portal page for an existing payment-provider customer and returns its URL.</summary>
    Task<string> CreatePortalSessionAsync(string stripeCustomerId, CancellationToken cancellationToken);
}
