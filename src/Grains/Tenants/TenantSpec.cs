using UFBrowsers.Customers;

namespace UFBrowsers.Grains.Tenants;

/// <summary>What a tenant provisioner creates: the tenant's namespace, for a customer, sized by its plan's concurrency.</summary>
public sealed record TenantSpec(string CustomerId, string Namespace, Plan Plan);
