using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using UFBrowsers.Grains.Tenants;

namespace UFBrowsers.Silo.Tenants;

/// <summary>
/// The tenant provisioner of a laptop and of CI: there is no cluster to fence tenants off in, so every tenant is
/// provisioned at once. It keeps what it was asked, so that tests and operators can see the calls.
/// </summary>
public sealed class LocalTenantProvisioner(ILogger<LocalTenantProvisioner> logger) : ITenantProvisioner
{
    public ConcurrentDictionary<string, TenantSpec> Tenants { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<TenantSpec> Provisioned { get; } = new();

    public ConcurrentQueue<string> TornDown { get; } = new();

    public Task EnsureProvisionedAsync(TenantSpec spec, CancellationToken cancellationToken)
    {
        Provisioned.Enqueue(spec);
        Tenants[spec.Namespace] = spec;
        logger.LogInformation("Local tenant {Namespace} provisioned for plan {Plan}", spec.Namespace, spec.Plan.Name);
        return Task.CompletedTask;
    }

    public Task TearDownAsync(string tenantNamespace, CancellationToken cancellationToken)
    {
        TornDown.Enqueue(tenantNamespace);
        Tenants.TryRemove(tenantNamespace, out _);
        logger.LogInformation("Local tenant {Namespace} torn down", tenantNamespace);
        return Task.CompletedTask;
    }
}
