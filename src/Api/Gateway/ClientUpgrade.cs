using Microsoft.AspNetCore.Http.Features;

namespace UFBrowsers.Api.Gateway;

/// <summary>
/// Accepts a client's WebSocket upgrade and hands back the connection's bytes, with no WebSocket implementation on top:
/// the relay forwards the client's frames as they are. No extension (compression) and no subprotocol is agreed, as
/// with the browser. The request must already have passed <c>HttpContext.WebSockets.IsWebSocketRequest</c>.
/// </summary>
internal static class ClientUpgrade
{
    public static async Task<Stream> AcceptAsync(HttpContext context)
    {
        // A WebSocket over HTTP/2 (RFC 8441) is an extended CONNECT answered with 200, and carries the same frames.
        if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return await connect.AcceptAsync();
        }

        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.SecWebSocketAccept = WebSocketHandshake.Accept(context.Request.Headers.SecWebSocketKey.ToString());
        return await context.Features.GetRequiredFeature<IHttpUpgradeFeature>().UpgradeAsync();
    }
}
