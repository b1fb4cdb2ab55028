namespace UFBrowsers.Api.Contracts;

/// <summary>
/// <c>interactive</c>: whether the link's viewers may send mouse, keyboard and scrolling to the page (default false:
/// view only). <c>expiresInSeconds</c>: how long the link works (1 to 86400, default 3600); never past the session's end.
/// </summary>
public sealed record LiveLinkRequest(bool? Interactive = null, int? ExpiresInSeconds = null);
