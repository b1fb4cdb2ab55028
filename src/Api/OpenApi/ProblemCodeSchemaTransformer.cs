using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace UFBrowsers.Api.OpenApi;

/// <summary>Documents the machine-readable <c>code</c> that every UFBrowsers problem response carries.</summary>
internal sealed class ProblemCodeSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (typeof(ProblemDetails).IsAssignableFrom(context.JsonTypeInfo.Type))
        {
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
            schema.Properties["code"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "Machine-readable reason, e.g. insufficient_credit, concurrency_limit_reached, no_browser_available, unauthorized.",
            };
        }

        return Task.CompletedTask;
    }
}
