namespace UFBrowsers.Api.Contracts;

/// <summary>A live view link: a page to open or embed in an iframe; it carries its own token, so it needs no API key.</summary>
public sealed record LiveLinkResponse(string Url, bool Interactive, DateTimeOffset ExpiresAt);
