using Microsoft.Extensions.Options;
using UFBrowsers.Sessions;

namespace UFBrowsers.Api.Gateway;

/// <summary>
/// Builds the gateway's URLs for a session from its id and a token; the grains know only the pod's endpoint. The
/// base is <see cref="GatewayOptions.PublicBaseUrl"/> when set, else the scheme and host the request came in on.
/// </summary>
public sealed class GatewayUrls(IOptions<GatewayOptions> options, SessionTokens tokens)
{
    public SessionUrls? For(HttpRequest request, SessionView session)
    {
        if (session.Status != SessionStatus.Active)
        {
            return null;
        }

        var token = tokens.Issue(session.Id, session.ExpiresAt);
        var http = HttpBase(request);
        return new SessionUrls($"{WebSocketBase(http)}/v1/sessions/{session.Id}/cdp?token={token}", $"{http}/v1/sessions/{session.Id}?token={token}", token);
    }

    public string BrowserWebSocket(HttpRequest request, string sessionId, string token) =>
        $"{WebSocketBase(HttpBase(request))}/v1/sessions/{sessionId}/cdp?token={token}";

    public string PageWebSocket(HttpRequest request, string sessionId, string targetId, string token) =>
        $"{WebSocketBase(HttpBase(request))}/v1/sessions/{sessionId}/cdp/page/{targetId}?token={token}";

    /// <summary>The base of the API's public URLs (no trailing slash), as for the connect URLs.</summary>
    public string PublicBase(HttpRequest request) => HttpBase(request);

    private string HttpBase(HttpRequest request) =>
        (options.Value.PublicBaseUrl ?? $"{request.Scheme}://{request.Host}{request.PathBase}").TrimEnd('/');

    private static string WebSocketBase(string httpBase) =>
        httpBase.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? "wss://" + httpBase["https://".Length..]
        : httpBase.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? "ws://" + httpBase["http://".Length..]
        : throw new InvalidOperationException($"{GatewayOptions.Section}:PublicBaseUrl must start with http:// or https://.");
}
