namespace UFBrowsers.Grains.Billing.Payments;

/// <summary>The payment provider could not be used: not configured (<see cref="NotConfigured"/>), down, or it refused.</summary>
public sealed class PaymentGatewayException(string message, bool notConfigured = false, Exception? innerException = null)
    : Exception(message, innerException)
{
    public bool NotConfigured { get; } = notConfigured;
}
