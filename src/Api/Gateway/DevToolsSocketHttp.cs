using UFBrowsers.Pods;
using UFBrowsers.Silo.Browsers;

namespace UFBrowsers.Api.Gateway;

/// <summary>
/// HTTP to a local pod's DevTools through its Unix socket. The URL's host (<c>localhost</c>) is only what the Host header
/// says, which Chromium's DNS-rebinding check accepts.
/// </summary>
/// <remarks>
/// A client per request, not a shared pool: every pod's URLs name the same host, so a pooled connection opened for one
/// pod's socket could otherwise serve a request meant for another's. Discovery is rare (a client reading
/// <c>/json/version</c> before it connects), so the cost of a fresh handler does not matter.
/// </remarks>
internal static class DevToolsSocketHttp
{
    public static HttpClient CreateClient(PodLease pod) => new(DevToolsTransport.Handler(pod)) { Timeout = TimeSpan.FromSeconds(5) };
}
