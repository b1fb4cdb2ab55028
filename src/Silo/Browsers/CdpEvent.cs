using System.Text.Json;

namespace UFBrowsers.Silo.Browsers;

/// <summary>An event the browser sent: its method, the flattened target session it came from (null for the browser), its params.</summary>
public sealed record CdpEvent(string Method, string? SessionId, JsonElement Params);
