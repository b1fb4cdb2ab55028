namespace UFBrowsers.Silo.Kubernetes;

/// <summary>
/// A tenant's namespace name is taken by a namespace this installation did not make for that customer (another
/// installation's, another customer's, or one made by hand). It is neither adopted nor deleted; an operator has to look.
/// </summary>
public sealed class TenantNamespaceConflictException(string message) : InvalidOperationException(message);
