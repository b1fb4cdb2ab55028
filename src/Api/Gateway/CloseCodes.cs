using System.Net.WebSockets;
using UFBrowsers.Sessions;

namespace UFBrowsers.Api.Gateway;

/// <summary>
/// The WebSocket close a client gets when its session ends: a code in the private range 4000-4999 and the end reason
/// as text. idle_timeout and no_client exist for completeness: by definition no client is connected then.
/// </summary>
public static class CloseCodes
{
    public const int EndedByApi = 4000;
    public const int Timeout = 4001;
    public const int BalanceExhausted = 4002;
    public const int PodFailed = 4003;
    public const int Cancelled = 4004;
    public const int IdleTimeout = 4005;
    public const int NoClient = 4006;
    public const int PodLost = 4007;
    public const int BrowserClosed = 4008;

    /// <summary>The browser's socket dropped but the session did not (yet) say it ended.</summary>
    public static readonly GatewayClose BrowserConnectionLost = new((WebSocketCloseStatus)1014, "browser_connection_lost");

    public static readonly GatewayClose ServerShuttingDown = new(WebSocketCloseStatus.EndpointUnavailable, "server_shutting_down");

    public static readonly GatewayClose MessageTooBig = new(WebSocketCloseStatus.MessageTooBig, "message_too_big");

    /// <summary>The client sent bytes that are not valid WebSocket frames (unmasked, reserved bits, a broken fragment sequence).</summary>
    public static readonly GatewayClose ProtocolError = new(WebSocketCloseStatus.ProtocolError, "protocol_error");

    /// <summary>A command the gateway refuses came in a message too large to hold back; it was stopped before its last byte.</summary>
    public static readonly GatewayClose PolicyViolation = new(WebSocketCloseStatus.PolicyViolation, "policy_violation");

    public static GatewayClose For(EndReason reason) => reason switch
    {
        EndReason.Client => new((WebSocketCloseStatus)EndedByApi, "ended_by_api"),
        EndReason.Timeout => new((WebSocketCloseStatus)Timeout, "timeout"),
        EndReason.BalanceExhausted => new((WebSocketCloseStatus)BalanceExhausted, "balance_exhausted"),
        EndReason.PodFailed => new((WebSocketCloseStatus)PodFailed, "pod_failed"),
        EndReason.Cancelled => new((WebSocketCloseStatus)Cancelled, "cancelled"),
        EndReason.IdleTimeout => new((WebSocketCloseStatus)IdleTimeout, "idle_timeout"),
        EndReason.NoClient => new((WebSocketCloseStatus)NoClient, "no_client"),
        EndReason.PodLost => new((WebSocketCloseStatus)PodLost, "pod_lost"),
        EndReason.BrowserClosed => new((WebSocketCloseStatus)BrowserClosed, "browser_closed"),
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
