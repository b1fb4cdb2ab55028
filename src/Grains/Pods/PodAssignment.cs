namespace UFBrowsers.Grains.Pods;

/// <summary>The session a pod serves and, when known, the tenant it belongs to (whose namespace may host an on-demand pod).</summary>
public sealed record PodAssignment(string SessionId, string? CustomerId, string? TenantNamespace);
