using System.Net;
using UFBrowsers.Api.Tests.Infrastructure;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Api.Tests.Observability;

/// <summary>The API on a real loopback port (Kestrel), for a real browser to load the console from.</summary>
public sealed class KestrelApiFixture : ApiFactory
{
    public KestrelApiFixture()
    {
        var port = FreePort.Next();
        BaseUrl = $"http://127.0.0.1:{port}";
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
    }

    public string BaseUrl { get; }

    protected override Task StartAsync()
    {
        StartServer();
        return Task.CompletedTask;
    }
}
