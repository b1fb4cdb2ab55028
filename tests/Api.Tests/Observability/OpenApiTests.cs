using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using UFBrowsers.Api.Tests.Infrastructure;

namespace UFBrowsers.Api.Tests.Observability;

[Collection(ApiCollection.Name)]
public sealed class OpenApiTests(ApiFixture api)
{
    [Fact]
    public async Task The_document_covers_every_public_endpoint()
    {
        var paths = (await Document())["paths"]!.AsObject();
        var endpoints = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Path: "/" + e.RoutePattern.RawText!.Trim('/'), Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods))
            .Where(e => e.Methods is not null && (e.Path.StartsWith("/v1/", StringComparison.Ordinal) || e.Path.StartsWith("/admin/", StringComparison.Ordinal)))
            .ToList();
        Assert.True(endpoints.Count >= 18, $"expected the whole API, found {endpoints.Count} endpoints");
        foreach (var (path, methods) in endpoints)
        {
            var documented = paths[path] ?? paths[path + "/"];
            Assert.True(documented is not null, $"{path} is not in the OpenAPI document");
            foreach (var method in methods!)
            {
                Assert.True(documented![method.ToLowerInvariant()] is not null, $"{method} {path} is not in the OpenAPI document");
            }
        }
    }

    [Fact]
    public async Task Creating_a_session_documents_its_answers_problem_shapes_and_authentication()
    {
        var document = await Document();
        var create = document["paths"]!["/v1/sessions"]!["post"]!;
        var responses = create["responses"]!.AsObject();
        foreach (var status in new[] { "201", "400", "401", "402", "422", "429", "503" })
        {
            Assert.True(responses.ContainsKey(status), $"POST /v1/sessions does not document {status}");
        }

        Assert.NotNull(responses["201"]!["content"]!["application/json"]);
        Assert.Equal("insufficient_credit", responses["402"]!["content"]!["application/problem+json"]!["example"]!["code"]!.GetValue<string>());
        Assert.Equal("active", responses["201"]!["content"]!["application/json"]!["example"]!["status"]!.GetValue<string>());
        Assert.Contains("apiKey", create["security"]!.AsArray().SelectMany(r => r!.AsObject().Select(p => p.Key)));

        var schemas = document["components"]!["schemas"]!.AsObject();
        Assert.NotNull(schemas["ProblemDetails"]!["properties"]!["code"]);
        Assert.NotNull(document["components"]!["securitySchemes"]!["operatorToken"]);
        Assert.Contains("operatorToken", document["paths"]!["/admin/customers"]!["post"]!["security"]!.AsArray()
            .SelectMany(r => r!.AsObject().Select(p => p.Key)));
    }

    [Fact]
    public async Task Live_links_and_recordings_are_documented_with_examples()
    {
        var document = await (await api.CreateClient().GetAsync("/openapi/v1.json")).Json();
        var paths = document["paths"]!;

        var link = paths["/v1/sessions/{id}/live-links"]!["post"]!["responses"]!;
        Assert.False(link["201"]!["content"]!["application/json"]!["example"]!["interactive"]!.GetValue<bool>());
        Assert.NotNull(document["components"]!["schemas"]!["LiveLinkRequest"]!["properties"]!["expiresInSeconds"]);
        var recording = paths["/v1/sessions/{id}/recording"]!["get"]!["responses"]!;
        Assert.Equal("complete", recording["200"]!["content"]!["application/json"]!["example"]!["status"]!.GetValue<string>());
        Assert.Equal("recording_not_found", recording["404"]!["content"]!["application/problem+json"]!["example"]!["code"]!.GetValue<string>());
        Assert.NotNull(document["components"]!["schemas"]!["CreateSessionRequest"]!["properties"]!["recording"]);
        Assert.NotNull(paths["/live/{id}"]!["get"]);
        Assert.NotNull(paths["/v1/sessions/{id}/live"]!["get"]);
    }

    [Fact]
    public async Task The_reference_page_is_served_at_docs()
    {
        using var anonymous = api.CreateClient();
        var page = await anonymous.GetAsync("/docs/v1");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("openapi/v1.json", await page.Content.ReadAsStringAsync());
    }

    private async Task<JsonNode> Document()
    {
        using var anonymous = api.CreateClient();
        var response = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Json();
    }
}
