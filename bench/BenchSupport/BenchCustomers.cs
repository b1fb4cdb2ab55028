using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace UFBrowsers.BenchSupport;

/// <summary>Creates active, provisioned customers on the bench plan through the operator API.</summary>
public static class BenchCustomers
{
    public static async Task<IReadOnlyList<BenchCustomer>> CreateAsync(BenchApiHost host, int count, long credits, string prefix = "bench")
    {
        using var op = host.NewClient(BenchSettings.OperatorToken);
        var run = Guid.NewGuid().ToString("N")[..6];
        var customers = new BenchCustomer[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var id = $"{prefix}-{run}-{i}";
            var created = await op.PostAsJsonAsync("/admin/customers", new { id, name = "Bench " + id, plan = BenchSettings.Plan }, ct);
            created.EnsureSuccessStatusCode();
            var apiKey = (await created.Content.ReadFromJsonAsync<JsonNode>(ct))!["apiKey"]!["key"]!.GetValue<string>();
            (await op.PutAsJsonAsync($"/admin/customers/{id}/subscription", new { status = "active", tenantProvisioned = true }, ct)).EnsureSuccessStatusCode();
            using var grant = new HttpRequestMessage(HttpMethod.Post, $"/admin/customers/{id}/credits")
            {
                Content = JsonContent.Create(new { amount = credits, reason = "bench grant" }),
            };
            grant.Headers.Add("Idempotency-Key", "grant-" + id);
            (await op.SendAsync(grant, ct)).EnsureSuccessStatusCode();
            customers[i] = new BenchCustomer(id, apiKey, credits);
        });
        return customers;
    }
}
