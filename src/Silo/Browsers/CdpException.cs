namespace UFBrowsers.Silo.Browsers;

/// <summary>The browser answered a command with a CDP error, or the connection ended before it answered.</summary>
public sealed class CdpException(string method, string message, int? code = null) : Exception($"{method}: {message}")
{
    public string Method { get; } = method;

    /// <summary>The CDP error code; null when the connection ended instead.</summary>
    public int? Code { get; } = code;
}
