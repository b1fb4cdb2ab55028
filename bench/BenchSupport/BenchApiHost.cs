using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using UFBrowsers.Api.Hosting;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Silo.Hosting;
using UFBrowsers.TestSupport;

namespace UFBrowsers.BenchSupport;

/// <summary>
/// The real API with its co-hosted silo, built the way src/Api/Program.cs builds it, on a loopback Kestrel port,
/// with the pod provider the caller hands in.
/// </summary>
public sealed class BenchApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BenchApiHost(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public IServiceProvider Services => _app.Services;

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    public static async Task<BenchApiHost> StartAsync(IReadOnlyDictionary<string, string?> settings, Func<IServiceProvider, IPodProvider> pods)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        var port = FreePort.Next();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.UseOrleans(silo => silo.AddUFBrowsers(builder.Configuration));
        builder.Services.AddUFBrowsersApi(builder.Configuration);
        builder.Services.AddSingleton<IPodProvider>(pods);

        var app = builder.Build();
        app.UseUFBrowsersApi();
        await app.StartAsync();
        return new BenchApiHost(app, $"http://127.0.0.1:{port}");
    }

    /// <summary>A client for this host that keeps many connections open and never times out before the server answers.</summary>
    public HttpClient NewClient(string? bearer = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri(BaseUrl),
            Timeout = TimeSpan.FromSeconds(60),
        };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
