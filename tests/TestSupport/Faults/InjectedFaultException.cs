namespace UFBrowsers.TestSupport.Faults;

/// <summary>What an injected failure throws; an I/O failure as far as the product can tell.</summary>
public sealed class InjectedFaultException(string message) : IOException(message);
