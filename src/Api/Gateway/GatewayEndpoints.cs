using Microsoft.AspNetCore.Mvc;

namespace UFBrowsers.Api.Gateway;

/// <summary>
/// The gateway's routes. They take no API key: the connect token in <c>?token=</c> authorises one session, so the
/// URLs can be handed to a CI job or a browser automation tool as they are.
/// </summary>
internal static class GatewayEndpoints
{
    public static RouteGroupBuilder MapGatewayEndpoints(this RouteGroupBuilder v1)
    {
        var session = v1.MapGroup("/sessions/{id}").WithTags("Gateway");
        session.MapGet("/cdp", (HttpContext context, CdpGateway gateway, string id, [FromQuery] string? token) =>
            gateway.ConnectAsync(context, id, null, token)).WithName("ConnectBrowser");
        session.MapGet("/cdp/page/{targetId}", (HttpContext context, CdpGateway gateway, string id, string targetId, [FromQuery] string? token) =>
            gateway.ConnectAsync(context, id, targetId, token)).WithName("ConnectPage");
        session.MapGet("/json/version", (HttpRequest request, CdpDiscovery discovery, string id, [FromQuery] string? token) =>
            discovery.VersionAsync(request, id, token)).WithName("DiscoverVersion");
        session.MapGet("/json/list", (HttpRequest request, CdpDiscovery discovery, string id, [FromQuery] string? token) =>
            discovery.ListAsync(request, id, token)).WithName("DiscoverTargets");
        session.MapGet("/json", (HttpRequest request, CdpDiscovery discovery, string id, [FromQuery] string? token) =>
            discovery.ListAsync(request, id, token)).WithName("DiscoverTargetsShort");
        return v1;
    }
}
