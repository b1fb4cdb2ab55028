using k8s.Models;
using UFBrowsers.Grains.Customers;

namespace UFBrowsers.Silo.Kubernetes;

/// <summary>Whether a namespace is the one this installation made for a customer: its ownership label and its customer annotation.</summary>
public static class NamespaceOwnership
{
    /// <summary>Null when <paramref name="ns"/> is <paramref name="owner"/>'s namespace of <paramref name="customerId"/>; else what is wrong.</summary>
    public static string? Problem(V1Namespace ns, string owner, string customerId)
    {
        var labels = ns.Metadata.Labels ?? new Dictionary<string, string>();
        var annotations = ns.Metadata.Annotations ?? new Dictionary<string, string>();
        var labelledOwner = labels.TryGetValue(KubernetesLabels.Owner, out var o) ? o : null;
        var annotatedCustomer = annotations.TryGetValue(KubernetesLabels.CustomerIdAnnotation, out var c) ? c : null;
        if (labelledOwner != KubernetesLabels.Value(owner))
        {
            return labelledOwner is null
                ? $"it has no {KubernetesLabels.Owner} label (not made by UFBrowsers)"
                : $"it belongs to installation '{labelledOwner}', not '{KubernetesLabels.Value(owner)}'";
        }

        return annotatedCustomer == customerId ? null : $"it is the namespace of customer '{annotatedCustomer}', not '{customerId}'";
    }

    /// <summary>The customer whose namespace this is, when it carries this owner's label and a customer annotation that maps to its name.</summary>
    public static string? CustomerOf(V1Namespace ns, string owner)
    {
        var annotations = ns.Metadata.Annotations ?? new Dictionary<string, string>();
        return annotations.TryGetValue(KubernetesLabels.CustomerIdAnnotation, out var customerId)
               && TenantNamespace.For(customerId) == ns.Metadata.Name
               && Problem(ns, owner, customerId) is null
            ? customerId
            : null;
    }
}
