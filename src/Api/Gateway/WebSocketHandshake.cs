using System.Security.Cryptography;
using System.Text;

namespace UFBrowsers.Api.Gateway;

/// <summary>The opening handshake's key check (RFC 6455 section 4.2.2), shared by both sides of the gateway.</summary>
internal static class WebSocketHandshake
{
    private const string KeyGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    /// <summary>The <c>Sec-WebSocket-Accept</c> that answers a <c>Sec-WebSocket-Key</c>.</summary>
    public static string Accept(string key) => Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + KeyGuid)));
}
