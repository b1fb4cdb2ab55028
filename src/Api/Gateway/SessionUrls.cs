namespace UFBrowsers.Api.Gateway;

/// <summary>
/// Where a client reaches an active session: <see cref="ConnectUrl"/> (CDP WebSocket, for Playwright's
/// connectOverCDP or Puppeteer's browserWSEndpoint) and <see cref="CdpUrl"/> (HTTP base for /json/version discovery).
/// </summary>
public sealed record SessionUrls(string ConnectUrl, string CdpUrl, string Token);
