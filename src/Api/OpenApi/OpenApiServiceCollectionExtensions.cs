using Microsoft.OpenApi;

namespace UFBrowsers.Api.OpenApi;

internal static class OpenApiServiceCollectionExtensions
{
    public static IServiceCollection AddUFBrowsersOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "UFBrowsers API",
                    Version = "v1",
                    Description = "Hosted headless browsers, sold by the session. Errors are RFC 9457 problem details with a machine-readable code.",
                };
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer<SecuritySchemesTransformer>();
            options.AddOperationTransformer<SecuritySchemesTransformer>();
            options.AddOperationTransformer<ExamplesTransformer>();
            options.AddSchemaTransformer<ProblemCodeSchemaTransformer>();
        });
        return services;
    }
}
