using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains.Tenants;

namespace UFBrowsers.Silo.Kubernetes;

/// <summary>
/// A tenant as a Kubernetes namespace with a ResourceQuota, a LimitRange and a NetworkPolicy. Every object is created,
/// or replaced when it exists, so an attempt after a partial failure completes the job; teardown deletes the namespace.
/// </summary>
/// <remarks>
/// No HorizontalPodAutoscaler is made per tenant: a tenant namespace holds only single-use browser pods, one per session,
/// and no Deployment an autoscaler could scale. Capacity follows sessions through the warm pools and the quota instead.
/// </remarks>
public sealed class KubernetesTenantProvisioner(
    IKubernetes client,
    IOptions<KubernetesTenantOptions> options,
    ILogger<KubernetesTenantProvisioner> logger) : ITenantProvisioner
{
    public async Task EnsureProvisionedAsync(TenantSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var o = options.Value;
        var ns = spec.Namespace;
        var core = client.CoreV1;

        await CreateOrReplaceAsync(
            "Namespace", ns,
            () => core.CreateNamespaceAsync(TenantManifests.Namespace(spec, o), cancellationToken: cancellationToken),
            () => core.ReadNamespaceAsync(ns, cancellationToken: cancellationToken),
            existing =>
            {
                if (existing.Status?.Phase == "Terminating")
                {
                    throw new InvalidOperationException($"Namespace {ns} is still being deleted; it can be provisioned once it is gone.");
                }

                var desired = TenantManifests.Namespace(spec, o);
                desired.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
                return core.ReplaceNamespaceAsync(desired, ns, cancellationToken: cancellationToken);
            });

        var quota = TenantManifests.Quota(spec, o);
        await CreateOrReplaceAsync(
            "ResourceQuota", quota.Metadata.Name,
            () => core.CreateNamespacedResourceQuotaAsync(quota, ns, cancellationToken: cancellationToken),
            () => core.ReadNamespacedResourceQuotaAsync(quota.Metadata.Name, ns, cancellationToken: cancellationToken),
            existing =>
            {
                quota.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
                return core.ReplaceNamespacedResourceQuotaAsync(quota, quota.Metadata.Name, ns, cancellationToken: cancellationToken);
            });

        var limits = TenantManifests.LimitRange(spec, o);
        await CreateOrReplaceAsync(
            "LimitRange", limits.Metadata.Name,
            () => core.CreateNamespacedLimitRangeAsync(limits, ns, cancellationToken: cancellationToken),
            () => core.ReadNamespacedLimitRangeAsync(limits.Metadata.Name, ns, cancellationToken: cancellationToken),
            existing =>
            {
                limits.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
                return core.ReplaceNamespacedLimitRangeAsync(limits, limits.Metadata.Name, ns, cancellationToken: cancellationToken);
            });

        var policy = TenantManifests.NetworkPolicy(spec, o);
        var networking = client.NetworkingV1;
        await CreateOrReplaceAsync(
            "NetworkPolicy", policy.Metadata.Name,
            () => networking.CreateNamespacedNetworkPolicyAsync(policy, ns, cancellationToken: cancellationToken),
            () => networking.ReadNamespacedNetworkPolicyAsync(policy.Metadata.Name, ns, cancellationToken: cancellationToken),
            existing =>
            {
                policy.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
                return networking.ReplaceNamespacedNetworkPolicyAsync(policy, policy.Metadata.Name, ns, cancellationToken: cancellationToken);
            });

        logger.LogInformation("Tenant namespace {Namespace} provisioned for plan {Plan} ({Sessions} sessions)", ns, spec.Plan.Name, spec.Plan.ConcurrencyLimit);
    }

    public async Task TearDownAsync(string tenantNamespace, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantNamespace);
        try
        {
            await client.CoreV1.DeleteNamespaceAsync(tenantNamespace, propagationPolicy: "Background", cancellationToken: cancellationToken);
            logger.LogInformation("Tenant namespace {Namespace} deleted", tenantNamespace);
        }
        catch (HttpOperationException ex) when (ex.IsNotFound())
        {
            logger.LogInformation("Tenant namespace {Namespace} was already gone", tenantNamespace);
        }
    }

    private async Task CreateOrReplaceAsync<T>(string kind, string name, Func<Task<T>> create, Func<Task<T>> read, Func<T, Task<T>> replace)
    {
        try
        {
            await create();
            logger.LogDebug("{Kind} {Name} created", kind, name);
        }
        catch (HttpOperationException ex) when (ex.IsConflict())
        {
            await replace(await read());
            logger.LogDebug("{Kind} {Name} replaced", kind, name);
        }
    }
}
