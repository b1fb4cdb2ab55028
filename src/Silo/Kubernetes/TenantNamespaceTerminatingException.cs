namespace UFBrowsers.Silo.Kubernetes;

/// <summary>The tenant's namespace is still being deleted; nothing can be created in it until it is gone. Worth retrying later.</summary>
public sealed class TenantNamespaceTerminatingException(string message) : InvalidOperationException(message);
