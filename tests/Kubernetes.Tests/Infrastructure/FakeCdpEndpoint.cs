using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace UFBrowsers.Kubernetes.Tests.Infrastructure;

/// <summary>Answers <c>/json/version</c> as a browser's DevTools endpoint does, on the port the fake pods "listen" on.</summary>
public sealed class FakeCdpEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeCdpEndpoint(WebApplication app)
    {
        _app = app;
        _app.MapGet("/json/version", (HttpContext context) => Answering
            ? Results.Json(new Dictionary<string, string>
            {
                ["Browser"] = "HeadlessChrome/fake",
                ["webSocketDebuggerUrl"] = $"ws://{context.Request.Host}/devtools/browser/{Guid.NewGuid()}",
            })
            : Results.StatusCode(503));
    }

    public bool Answering { get; set; } = true;

    public int Port { get; private set; }

    public static async Task<FakeCdpEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var endpoint = new FakeCdpEndpoint(builder.Build());
        await endpoint._app.StartAsync();
        endpoint.Port = new Uri(endpoint._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
        return endpoint;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
