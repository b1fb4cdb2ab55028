using UFBrowsers.BenchSupport;

namespace UFBrowsers.Bench.Drills;

/// <summary>Customers made through the operator API of a drill's host, as drill customers and their API keys.</summary>
internal static class ApiDrillSetup
{
    public static async Task<(IReadOnlyList<DrillCustomer> Customers, IReadOnlyDictionary<string, string> ApiKeys)> CustomersAsync(
        BenchApiHost host, int count)
    {
        var made = await BenchCustomers.CreateAsync(host, count, credits: 1_000_000, prefix: "drill");
        return ([.. made.Select(c => new DrillCustomer(c.Id, c.Granted))], made.ToDictionary(c => c.Id, c => c.ApiKey, StringComparer.Ordinal));
    }
}
