using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UFBrowsers.Pods;
using UFBrowsers.Silo.Pods.LocalChromium;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Isolation.Tests;

/// <summary>
/// What a hostile tenant would aim at, and two pod providers to aim from: the real one (sandboxed) and a control without
/// the sandbox (<c>Sandbox: false</c>), so that every attack is also shown to work where the fence is absent.
/// <list type="bullet">
/// <item>a secret file outside any pod, readable by every user (only the sandbox's mount namespace hides it);</item>
/// <item>a service on this machine's loopback and on its own non-loopback address (stands for the API), with a WebSocket;</item>
/// <item>a real PostgreSQL on loopback;</item>
/// <item>an <see cref="ExternalNetwork"/>: the same service on "the internet" and on each private range.</item>
/// </list>
/// </summary>
public sealed class HostileTenantFixture : IAsyncLifetime
{
    public const string Reached = "reached-the-target";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "ufb-iso-" + Guid.NewGuid().ToString("N")[..8]);
    private WebApplication? _service;
    private ExternalNetwork? _network;
    private LocalChromiumPodProvider? _sandboxed;
    private LocalChromiumPodProvider? _control;

    public PostgresServer Postgres { get; } = new();

    public RecordingLossReporter Reporter { get; } = new();

    public string SecretPath => Path.Combine(_root, "secret", "operator-token");

    public string Secret { get; } = "secret-" + Guid.NewGuid().ToString("N");

    public int ServicePort { get; private set; }

    /// <summary>This machine's own first non-loopback IPv4 address (the service listens there too).</summary>
    public string HostAddress { get; private set; } = "";

    public ExternalNetwork Network => _network!;

    public string SandboxedPods => Path.Combine(_root, "pods");

    public string ControlPods => Path.Combine(_root, "control");

    public LocalChromiumPodProvider Sandboxed => _sandboxed!;

    /// <summary>The same provider with the sandbox turned off: where each attack must succeed, to show the test can fail.</summary>
    public LocalChromiumPodProvider Control => _control!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SecretPath)!);
        await File.WriteAllTextAsync(SecretPath, Secret);
        File.SetUnixFileMode(Path.GetDirectoryName(SecretPath)!, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(SecretPath, (UnixFileMode)0b110_100_100);
        File.SetUnixFileMode(_root, (UnixFileMode)0b111_101_101);

        HostAddress = NetworkInterface.GetAllNetworkInterfaces()
            .Where(nic => nic.OperationalStatus == OperationalStatus.Up)
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address)
            .First(address => address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(address))
            .ToString();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://0.0.0.0:0");
        _service = builder.Build();
        Map(_service);
        await _service.StartAsync();
        ServicePort = new Uri(_service.Urls.First()).Port;

        _network = await ExternalNetwork.StartAsync(Map);
        await Postgres.InitializeAsync();

        _sandboxed = await StartProvider(SandboxedPods, sandbox: true);
        _control = await StartProvider(ControlPods, sandbox: false);
    }

    public async Task<LocalChromiumPodProvider> StartProvider(
        string podsDirectory,
        bool sandbox,
        Action<LocalChromiumOptions>? configure = null,
        ILogger<LocalChromiumPodProvider>? logger = null,
        RecordingLossReporter? reporter = null)
    {
        var options = new LocalChromiumOptions { PodsDirectory = Path.GetFullPath(podsDirectory), Sandbox = sandbox };
        configure?.Invoke(options);
        var provider = new LocalChromiumPodProvider(
            Options.Create(options), reporter ?? Reporter, logger ?? NullLogger<LocalChromiumPodProvider>.Instance);
        await provider.StartAsync(CancellationToken.None);
        return provider;
    }

    public Task<PodLease> SandboxedPod() => Sandboxed.CreateAsync("default", CancellationToken.None);

    public Task<PodLease> ControlPod() => Control.CreateAsync("default", CancellationToken.None);

    public async Task DisposeAsync()
    {
        foreach (var provider in new[] { _sandboxed, _control })
        {
            if (provider is not null)
            {
                await provider.DisposeAsync();
            }
        }

        if (_network is not null)
        {
            await _network.DisposeAsync();
        }

        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        await Postgres.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>The target service: a page that says it was reached, a WebSocket, and a file offered as a download.</summary>
    private static void Map(WebApplication app)
    {
        app.UseWebSockets();
        app.MapGet("/", () => Results.Content($"<!doctype html><title>target</title><body>{Reached}</body>", "text/html"));
        app.MapGet("/ws", async (HttpContext context) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                return Results.BadRequest();
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            try
            {
                await socket.ReceiveAsync(new byte[16], context.RequestAborted);
            }
            catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or OperationCanceledException)
            {
            }

            return Results.Empty;
        });
        app.MapGet("/download", (string name) => Results.File("downloaded by the tenant"u8.ToArray(), "application/octet-stream", name));
    }
}

[CollectionDefinition(Name)]
public sealed class HostileTenantCollection : ICollectionFixture<HostileTenantFixture>
{
    public const string Name = "hostile tenant";
}
