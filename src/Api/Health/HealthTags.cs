namespace UFBrowsers.Api.Health;

/// <summary>Which probe runs a health check: <c>/health/ready</c> runs <see cref="Ready"/>, <c>/health/startup</c> <see cref="Startup"/>; <c>/health/live</c> runs none.</summary>
internal static class HealthTags
{
    public const string Ready = "ready";
    public const string Startup = "startup";
}
