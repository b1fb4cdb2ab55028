namespace UFBrowsers.Api.Contracts;

public sealed record CreateSessionRequest(string? NodePool = null, int? TimeoutSeconds = null);
