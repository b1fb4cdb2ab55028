using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace UFBrowsers.Api.Tests.Infrastructure;

internal static class HttpExtensions
{
    public static async Task<JsonNode> Json(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonNode>())!;

    public static async Task<HttpResponseMessage> CreateSession(this HttpClient client, object? body = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/sessions") { Content = JsonContent.Create(body ?? new { }) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    public static async Task<long> Balance(this HttpClient client) =>
        (await (await client.GetAsync("/v1/account")).Json())["balance"]!.GetValue<long>();

    public static async Task<JsonArray> Ledger(this HttpClient client) =>
        (await (await client.GetAsync("/v1/account/ledger?limit=100")).Json())["data"]!.AsArray();
}
