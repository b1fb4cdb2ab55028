using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains.Telemetry;
using UFBrowsers.Grains.Tenants;

namespace UFBrowsers.Silo.Kubernetes;

/// <summary>
/// A tenant as a Kubernetes namespace with a ResourceQuota, a LimitRange and a NetworkPolicy. Every object is created,
/// or replaced when it exists, so an attempt after a partial failure completes the job; teardown deletes the namespace.
/// A namespace is replaced or deleted only when it carries this installation's ownership label and the customer's
/// annotation: anything else under that name is refused with <see cref="TenantNamespaceConflictException"/>, logged as an
/// error and counted (<c>ufbrowsers.kubernetes.namespace.conflicts</c>), never adopted or deleted.
/// </summary>
/// <remarks>
/// No HorizontalPodAutoscaler is made per tenant: a tenant namespace holds only single-use browser pods, one per session,
/// and no Deployment an autoscaler could scale. Capacity follows sessions through the warm pools and the quota instead.
/// </remarks>
public sealed class KubernetesTenantProvisioner(
    IKubernetes client,
    IOptions<KubernetesTenantOptions> options,
    IOptions<KubernetesOptions> cluster,
    UFBrowsersMetrics metrics,
    ILogger<KubernetesTenantProvisioner> logger) : ITenantProvisioner
{
    private string Owner => cluster.Value.Owner;

    public async Task EnsureProvisionedAsync(TenantSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var o = options.Value;
        var ns = spec.Namespace;
        var core = client.CoreV1;

        await CreateOrReplaceAsync(
            "Namespace", ns,
            () => core.CreateNamespaceAsync(TenantManifests.Namespace(spec, o, Owner), cancellationToken: cancellationToken),
            () => core.ReadNamespaceAsync(ns, cancellationToken: cancellationToken),
            existing =>
            {
                if (NamespaceOwnership.Problem(existing, Owner, spec.CustomerId) is { } problem)
                {
                    throw Conflict("provision", ns, spec.CustomerId, problem);
                }

                if (existing.Status?.Phase == "Terminating" || existing.Metadata.DeletionTimestamp is not null)
                {
                    throw new TenantNamespaceTerminatingException($"Namespace {ns} is still being deleted; it can be provisioned once it is gone.");
                }

                var desired = TenantManifests.Namespace(spec, o, Owner);
                desired.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
                return core.ReplaceNamespaceAsync(desired, ns, cancellationToken: cancellationToken);
            });

        var quota = TenantManifests.Quota(spec, o, Owner);
        await CreateOrReplaceAsync(
            "ResourceQuota", quota.Metadata.Name,
            () => core.CreateNamespacedResourceQuotaAsync(quota, ns, cancellationToken: cancellationToken),
            () => core.ReadNamespacedResourceQuotaAsync(quota.Metadata.Name, ns, cancellationToken: cancellationToken),
            existing =>
            {
                quota.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
                return core.ReplaceNamespacedResourceQuotaAsync(quota, quota.Metadata.Name, ns, cancellationToken: cancellationToken);
            });

        var limits = TenantManifests.LimitRange(spec, o, Owner);
        await CreateOrReplaceAsync(
            "LimitRange", limits.Metadata.Name,
            () => core.CreateNamespacedLimitRangeAsync(limits, ns, cancellationToken: cancellationToken),
            () => core.ReadNamespacedLimitRangeAsync(limits.Metadata.Name, ns, cancellationToken: cancellationToken),
            existing =>
            {
                limits.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
                return core.ReplaceNamespacedLimitRangeAsync(limits, limits.Metadata.Name, ns, cancellationToken: cancellationToken);
            });

        var policy = TenantManifests.NetworkPolicy(spec, o, Owner);
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

    /// <summary>
    /// Deletes the namespace if it is this installation's namespace of the customer its name was made for. The delete is
    /// conditional on the uid that was checked, so a namespace replaced meanwhile by someone else is not deleted either.
    /// </summary>
    public async Task TearDownAsync(string tenantNamespace, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantNamespace);
        V1Namespace existing;
        try
        {
            existing = await client.CoreV1.ReadNamespaceAsync(tenantNamespace, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.IsNotFound())
        {
            logger.LogInformation("Tenant namespace {Namespace} was already gone", tenantNamespace);
            return;
        }

        if (NamespaceOwnership.CustomerOf(existing, Owner) is null)
        {
            string? customer = null;
            existing.Metadata.Annotations?.TryGetValue(KubernetesLabels.CustomerIdAnnotation, out customer);
            throw Conflict("delete", tenantNamespace, customer, customer is null
                ? NamespaceOwnership.Problem(existing, Owner, "") ?? "it names no customer"
                : NamespaceOwnership.Problem(existing, Owner, customer) ?? $"its customer '{customer}' does not map to this name");
        }

        if (existing.Metadata.DeletionTimestamp is not null)
        {
            logger.LogInformation("Tenant namespace {Namespace} is already being deleted", tenantNamespace);
            return;
        }

        try
        {
            await client.CoreV1.DeleteNamespaceAsync(
                tenantNamespace,
                new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = existing.Metadata.Uid } },
                propagationPolicy: "Background",
                cancellationToken: cancellationToken);
            logger.LogInformation("Tenant namespace {Namespace} deleted", tenantNamespace);
        }
        catch (HttpOperationException ex) when (ex.IsNotFound())
        {
            logger.LogInformation("Tenant namespace {Namespace} was already gone", tenantNamespace);
        }
    }

    private TenantNamespaceConflictException Conflict(string operation, string ns, string? customerId, string problem)
    {
        var done = operation == "provision" ? "provisioned" : "deleted";
        metrics.NamespaceConflict(operation);
        logger.LogError(
            "ALERT: namespace {Namespace} was not {Done} for customer {CustomerId}: {Problem}. It is left as it is; an operator must rename or remove it",
            ns, done, customerId, problem);
        return new TenantNamespaceConflictException(
            $"Namespace {ns} cannot be {done} for customer '{customerId}': {problem}. " +
            "UFBrowsers neither adopts nor deletes a namespace it does not own; rename or remove it by hand.");
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
        catch (HttpOperationException ex) when (ex.IsNamespaceTerminating())
        {
            throw new TenantNamespaceTerminatingException($"{kind} {name} cannot be created: {ex.Describe()}. It can be provisioned once the namespace is gone.");
        }
    }
}
