using System.Net.WebSockets;

namespace UFBrowsers.Api.Gateway;

/// <summary>A close frame the gateway sends a client: status code and reason text.</summary>
public sealed record GatewayClose(WebSocketCloseStatus Status, string Reason);
