using System.Text.Json.Nodes;
using UFBrowsers.Api.Problems;
using UFBrowsers.Sessions;

namespace UFBrowsers.Api.Gateway;

/// <summary>
/// The DevTools HTTP discovery of one session (<c>/json/version</c>, <c>/json/list</c>), read from its browser with
/// every WebSocket URL rewritten to the gateway, so clients that start from an HTTP URL
/// (Playwright's <c>connectOverCDP("http://…")</c>) never learn the pod's address.
/// </summary>
internal sealed class CdpDiscovery(IGrainFactory grains, CdpGateway gateway, GatewayUrls urls, IHttpClientFactory http, ILogger<CdpDiscovery> logger)
{
    public const string HttpClientName = "ufb-cdp-discovery";

    public async Task<IResult> VersionAsync(HttpRequest request, string sessionId, string? token)
    {
        var (json, problem) = await ReadAsync(sessionId, token, "/json/version");
        if (problem is not null)
        {
            return problem;
        }

        var version = json as JsonObject ?? [];
        version["webSocketDebuggerUrl"] = urls.BrowserWebSocket(request, sessionId, token!);
        return Results.Json(version);
    }

    public async Task<IResult> ListAsync(HttpRequest request, string sessionId, string? token)
    {
        var (json, problem) = await ReadAsync(sessionId, token, "/json/list");
        if (problem is not null)
        {
            return problem;
        }

        var targets = json as JsonArray ?? [];
        foreach (var target in targets.OfType<JsonObject>())
        {
            target.Remove("devtoolsFrontendUrl");
            target.Remove("devtoolsFrontendUrlCompat");
            if (target["id"]?.GetValue<string>() is { } id && target.ContainsKey("webSocketDebuggerUrl"))
            {
                target["webSocketDebuggerUrl"] = urls.PageWebSocket(request, sessionId, id, token!);
            }
        }

        return Results.Json(targets);
    }

    private async Task<(JsonNode? Json, IResult? Problem)> ReadAsync(string sessionId, string? token, string path)
    {
        if (gateway.Refuse(sessionId, token) is { } refused)
        {
            return (null, refused);
        }

        var pod = await grains.For<ISessionGrain>(sessionId).GetPod();
        if (pod is null)
        {
            var session = await grains.For<ISessionGrain>(sessionId).Get();
            return (null, CdpGateway.NotActive(sessionId, session?.Status ?? SessionStatus.New));
        }

        try
        {
            using var client = pod.DevToolsSocket is not null ? DevToolsSocketHttp.CreateClient(pod) : http.CreateClient(HttpClientName);
            return (JsonNode.Parse(await client.GetStringAsync(pod.CdpHttpUrl.TrimEnd('/') + path)), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or System.Net.Sockets.SocketException)
        {
            logger.LogWarning(ex, "Gateway could not read {Path} from the browser of session {SessionId}", path, sessionId);
            return (null, new ApiProblem(StatusCodes.Status502BadGateway, "browser_unreachable", "Bad gateway", "The session's browser did not answer."));
        }
    }
}
