using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace UFBrowsers.TestSupport;

/// <summary>Sets customers up the way an operator does, through the <c>/admin</c> API.</summary>
public static class OperatorApi
{
    /// <summary>Creates a customer, sets its subscription and grants credits; returns its id and first API key.</summary>
    public static async Task<(string Id, string ApiKey)> NewCustomer(
        HttpClient operatorClient, long credits, string plan = "professional", bool active = true, bool provisioned = true)
    {
        var id = "cus-" + Guid.NewGuid().ToString("N")[..12];
        var created = await operatorClient.PostAsJsonAsync("/admin/customers", new { id, name = "Tenant " + id, plan });
        created.EnsureSuccessStatusCode();
        var apiKey = (await created.Content.ReadFromJsonAsync<JsonNode>())!["apiKey"]!["key"]!.GetValue<string>();

        var status = active ? "active" : "none";
        (await operatorClient.PutAsJsonAsync($"/admin/customers/{id}/subscription", new { status, tenantProvisioned = provisioned }))
            .EnsureSuccessStatusCode();
        if (credits > 0)
        {
            using var grant = new HttpRequestMessage(HttpMethod.Post, $"/admin/customers/{id}/credits")
            {
                Content = JsonContent.Create(new { amount = credits, reason = "test grant" }),
            };
            grant.Headers.Add("Idempotency-Key", "grant-" + id);
            (await operatorClient.SendAsync(grant)).EnsureSuccessStatusCode();
        }

        return (id, apiKey);
    }
}
