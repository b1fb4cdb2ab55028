using Orleans.Dashboard;
using Scalar.AspNetCore;
using UFBrowsers.Api.Authentication;
using UFBrowsers.Api.Endpoints;
using UFBrowsers.Api.Health;
using UFBrowsers.Api.Observability;
using UFBrowsers.Api.Gateway;
using UFBrowsers.Api.LiveView;
using UFBrowsers.Api.Recordings;

namespace UFBrowsers.Api.Hosting;

public static class ApiApplicationExtensions
{
    public static WebApplication UseUFBrowsersApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestBodyLimit>();
        app.UseCustomerConsole();
        app.UseLiveViewAssets();
        app.UseWebSockets();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<RequestLogScopeMiddleware>();

        app.MapUFBrowsersHealth();
        app.MapGroup("/v1").MapSessionEndpoints().MapAccountEndpoints().MapPressureEndpoints().MapBillingEndpoints()
            .MapStripeWebhookEndpoints().MapGatewayEndpoints().MapProfileEndpoints().MapSessionFileEndpoints()
            .MapRecordingEndpoints().MapLiveViewEndpoints();
        app.MapLiveViewPage();
        var notifier = app.Services.GetRequiredService<SessionEndNotifier>();
        app.Lifetime.ApplicationStopping.Register(() => notifier.CloseAll(CloseCodes.ServerShuttingDown));
        app.MapAdminEndpoints();

        // Operator pages. A browser signs in to the dashboard with HTTP Basic: any user name, the operator token as password.
        app.MapOrleansDashboard("/dashboard").RequireAuthorization(AuthPolicies.Operator).ExcludeFromDescription();
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(AuthPolicies.Operator).ExcludeFromDescription();

        app.MapOpenApi();
        app.MapScalarApiReference("/docs", options => options.WithTitle("UFBrowsers API"));
        return app;
    }
}
