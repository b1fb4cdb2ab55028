using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace UFBrowsers.Api.Hosting;

internal static class CustomerConsoleExtensions
{
    public const string Path = "/app";

    /// <summary>
    /// Serves the customer console (plain HTML, CSS and JavaScript that call the public API) from the
    /// <c>Console</c> folder the build copies next to the binaries.
    /// </summary>
    public static IApplicationBuilder UseCustomerConsole(this IApplicationBuilder app) =>
        app.UseFileServer(new FileServerOptions
        {
            RequestPath = Path,
            FileProvider = new PhysicalFileProvider(System.IO.Path.Combine(AppContext.BaseDirectory, "Console")),
            StaticFileOptions = { OnPrepareResponse = SessionPagePolicy },
        });

    /// <summary>The live view page's script and style (<c>LiveView/Viewer</c>), at <c>/live/assets</c>.</summary>
    public static IApplicationBuilder UseLiveViewAssets(this IApplicationBuilder app) =>
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = LiveView.LiveViewEndpoints.AssetsPath,
            FileProvider = new PhysicalFileProvider(System.IO.Path.Combine(AppContext.BaseDirectory, "LiveViewer")),
        });

    /// <summary>
    /// The session page replays recorded pages (another site's DOM, inside rrweb's script-less sandboxed frame) in the same
    /// origin that holds the API key: its policy lets only the console's own scripts run, whatever a recording contains.
    /// </summary>
    private static void SessionPagePolicy(StaticFileResponseContext context)
    {
        if (context.File.Name == "session.html")
        {
            context.Context.Response.Headers.ContentSecurityPolicy =
                "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'; " +
                "style-src 'self' 'unsafe-inline' http: https:; img-src 'self' http: https: data: blob:; font-src 'self' http: https: data:; " +
                "media-src 'self' http: https: data: blob:; frame-src 'self' http: https:; connect-src 'self'";
            context.Context.Response.Headers.CacheControl = "no-store";
        }
    }
}
