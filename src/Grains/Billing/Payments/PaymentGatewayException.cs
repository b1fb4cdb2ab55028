namespace UFBrowsers.Grains.Billing.Payments;

/// <summary>The payment provider could not be used, and whether a retry may help (<see cref="Failure"/>).</summary>
public sealed class PaymentGatewayException(string message, PaymentGatewayFailure failure = PaymentGatewayFailure.Unavailable, Exception? innerException = null)
    : Exception(message, innerException)
{
    public PaymentGatewayFailure Failure { get; } = failure;

    public bool NotConfigured => Failure == PaymentGatewayFailure.NotConfigured;
}

public enum PaymentGatewayFailure
{
    /// <summary>Down, slow, rate limiting or failing on its side: a later retry may succeed.</summary>
    Unavailable = 0,
    /// <summary>No credentials are configured.</summary>
    NotConfigured = 1,
    /// <summary>The provider refused this installation's configuration (bad key, missing price, bad URL): permanent until an operator fixes it.</summary>
    Misconfigured = 2,
}
