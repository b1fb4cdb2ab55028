using UFBrowsers.Customers;

namespace UFBrowsers.Tenants;

/// <summary>
/// A customer's isolated tenant (key: customer id): its namespace, quota and network policy. Each call makes one
/// attempt at once and answers with the outcome; when that attempt fails a reminder retries with backoff until the goal
/// is reached, and then tells the customer grain.
/// </summary>
[Alias("ufb.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Creates or updates every object of the tenant for <paramref name="plan"/> (its quota follows the plan).</summary>
    [Alias("Provision")]
    Task<TenantStatus> Provision(Plan plan);

    /// <summary>Deletes the tenant's namespace and everything in it.</summary>
    [Alias("TearDown")]
    Task<TenantStatus> TearDown();

    [Alias("GetStatus")]
    Task<TenantStatus> GetStatus();
}
