namespace UFBrowsers.Api.Contracts;

/// <summary>
/// One server-sent event of <c>GET /v1/account/events</c>; its SSE event name is <see cref="Kind"/>:
/// <c>ready</c> (subscribed), <c>session.started</c>, <c>session.ended</c>, or <c>heartbeat</c>.
/// </summary>
public sealed record CustomerEventResponse(string Kind, SessionResponse? Session, DateTimeOffset At);
