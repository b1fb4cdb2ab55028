namespace UFBrowsers.Api.Health;

/// <summary>
/// Which probe runs a health check: <c>/health/ready</c> runs <see cref="Ready"/>, <c>/health/startup</c> <see cref="Startup"/>;
/// <c>/health/live</c> runs none. <see cref="Dependency"/> checks run only for <see cref="DependencyProbe"/>, whose results go
/// to <c>/v1/pressure</c> and metrics, never to a probe.
/// </summary>
internal static class HealthTags
{
    public const string Ready = "ready";
    public const string Startup = "startup";
    public const string Dependency = "dependency";
}
