namespace UFBrowsers.Api.Contracts;

/// <summary>
/// <c>waitSeconds</c>: how long to wait in the account's queue for a concurrency slot (0: refuse at once).
/// <c>firstConnectSeconds</c>, <c>idleTimeoutSeconds</c>: override the configured session timers.
/// <c>recording</c>: record the session's pages with rrweb, to replay them afterwards (<c>GET /v1/sessions/{id}/recording</c>).
/// <c>profile</c>: start with a saved profile's state, and with <c>persist</c> save the state back at the end.
/// </summary>
public sealed record CreateSessionRequest(
    string? NodePool = null,
    int? TimeoutSeconds = null,
    int? WaitSeconds = null,
    int? FirstConnectSeconds = null,
    int? IdleTimeoutSeconds = null,
    SessionProfileRequest? Profile = null,
    bool? Recording = null);
