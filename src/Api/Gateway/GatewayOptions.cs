namespace UFBrowsers.Api.Gateway;

/// <summary>Configuration section <c>UFBrowsers:Gateway</c>: how clients reach their browser through the API.</summary>
public sealed class GatewayOptions
{
    public const string Section = "UFBrowsers:Gateway";

    /// <summary>
    /// Signs the per-session connect tokens; at least 32 characters. Every API replica needs the same key. When unset,
    /// a random key is made at start: tokens then die with the process.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>The base URL clients use to reach this API (e.g. <c>https://api.example.com</c>); by default the request's own scheme and host.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Receive buffer per direction and connection; a browser frame that does not fit reaches the client as fragments of at most this size.</summary>
    public int BufferBytes { get; set; } = 64 * 1024;

    /// <summary>The largest client-to-browser message; a longer one is refused at its frame header and closes the connection with 1009.</summary>
    public int MaxClientMessageBytes { get; set; } = 64 * 1024 * 1024;

    public int UpstreamConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>How long to wait, after the browser's socket closed, for the session to say it ended (and why) before closing the client anyway.</summary>
    public int EndNoticeGraceMilliseconds { get; set; } = 3000;
}
