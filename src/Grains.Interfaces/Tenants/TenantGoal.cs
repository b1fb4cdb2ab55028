namespace UFBrowsers.Tenants;

/// <summary>What the tenant grain is working towards.</summary>
public enum TenantGoal
{
    /// <summary>Nothing asked yet.</summary>
    None = 0,
    /// <summary>Every object of the tenant exists and matches its plan.</summary>
    Provisioned = 1,
    /// <summary>The tenant's namespace, and with it everything in it, is deleted.</summary>
    TornDown = 2,
}
