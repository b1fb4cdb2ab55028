using UFBrowsers.Api.Endpoints;
using UFBrowsers.Api.Gateway;

namespace UFBrowsers.Api.Hosting;

public static class ApiApplicationExtensions
{
    public static WebApplication UseUFBrowsersApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseWebSockets();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthChecks("/health/live");
        app.MapGroup("/v1").MapSessionEndpoints().MapAccountEndpoints().MapGatewayEndpoints();
        var notifier = app.Services.GetRequiredService<SessionEndNotifier>();
        app.Lifetime.ApplicationStopping.Register(() => notifier.CloseAll(CloseCodes.ServerShuttingDown));
        app.MapAdminEndpoints();
        return app;
    }
}
