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
        });
}
