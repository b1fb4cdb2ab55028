using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace UFBrowsers.Api.OpenApi;

/// <summary>
/// Documents the upload endpoint's body, which it reads itself (a multipart file part, or the raw body of any content type):
/// declaring it with <c>Accepts</c> would make routing refuse every other content type with 415.
/// </summary>
internal static class UploadBody
{
    public static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var binary = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "The file: a multipart/form-data part with a filename, or the raw body (any content type) named by ?name=.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["multipart/form-data"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Properties = new Dictionary<string, IOpenApiSchema> { ["file"] = binary },
                    },
                },
                ["application/octet-stream"] = new() { Schema = binary },
            },
        };
        return Task.CompletedTask;
    }
}
