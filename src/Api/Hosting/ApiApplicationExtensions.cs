using UFBrowsers.Api.Endpoints;

namespace UFBrowsers.Api.Hosting;

public static class ApiApplicationExtensions
{
    public static WebApplication UseUFBrowsersApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthChecks("/health/live");
        app.MapGroup("/v1").MapSessionEndpoints().MapAccountEndpoints().MapBillingEndpoints().MapStripeWebhookEndpoints();
        app.MapAdminEndpoints();
        return app;
    }
}
