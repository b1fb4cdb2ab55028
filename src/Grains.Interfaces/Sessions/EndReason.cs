namespace UFBrowsers.Sessions;

public enum EndReason
{
    /// <summary>The customer ended it through the API.</summary>
    Client = 0,
    /// <summary>It reached its maximum duration.</summary>
    Timeout = 1,
    /// <summary>The next minute could not be paid.</summary>
    BalanceExhausted = 2,
    /// <summary>Its browser died.</summary>
    PodFailed = 3,
    /// <summary>The subscription ended or an operator stopped it.</summary>
    Cancelled = 4,
    /// <summary>No client was connected for the idle timeout.</summary>
    IdleTimeout = 5,
    /// <summary>No client connected before the first-connect deadline; only the minimum is charged.</summary>
    NoClient = 6,
}
