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
    /// <summary>Its browser was found gone without saying so (a crash of the process that ran it); billed up to the last moment it was known alive.</summary>
    PodLost = 7,
    /// <summary>A client closed the browser itself (CDP <c>Browser.close</c>).</summary>
    BrowserClosed = 8,
}
