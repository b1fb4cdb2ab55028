using UFBrowsers.Customers;

namespace UFBrowsers.Grains.Tests.Infrastructure;

internal static class TestCustomers
{
    /// <summary>A new active, provisioned customer with <paramref name="credits"/> credits.</summary>
    public static async Task<ICustomerGrain> Active(IGrainFactory grains, long credits = 100, string plan = "professional")
    {
        var customer = grains.GetGrain<ICustomerGrain>("cus_" + Guid.NewGuid().ToString("N")[..12]);
        await customer.Create("Test customer", plan);
        await customer.ChangeSubscription(new SubscriptionChange(Status: SubscriptionStatus.Active, TenantProvisioned: true));
        if (credits > 0)
        {
            await customer.AdjustCredits(credits, "test grant", "grant:" + Guid.NewGuid());
        }

        return customer;
    }

    public static async Task<IReadOnlyList<LedgerEntry>> Ledger(this ICustomerGrain customer) =>
        (await customer.GetLedger(1000, null)).Entries;
}
