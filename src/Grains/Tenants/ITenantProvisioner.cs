namespace UFBrowsers.Grains.Tenants;

/// <summary>
/// The port through which tenants get their isolated environment (a Kubernetes namespace with quota, limits and network
/// policy; nothing on a laptop). Both operations are idempotent, so the tenant grain simply calls them again after a failure.
/// </summary>
public interface ITenantProvisioner
{
    /// <summary>Creates or replaces every object of the tenant; returns only when all of them exist as <paramref name="spec"/> says.</summary>
    Task EnsureProvisionedAsync(TenantSpec spec, CancellationToken cancellationToken);

    /// <summary>Deletes the tenant's namespace; returns once the deletion is accepted or there is nothing to delete.</summary>
    Task TearDownAsync(string tenantNamespace, CancellationToken cancellationToken);
}
