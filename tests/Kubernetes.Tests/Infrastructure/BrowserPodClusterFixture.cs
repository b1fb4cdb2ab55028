using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using UFBrowsers.Grains.Files;
using UFBrowsers.Silo.Hosting;
using UFBrowsers.Silo.Kubernetes;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Kubernetes.Tests.Infrastructure;

/// <summary>
/// A silo on the Kubernetes pod provider whose pods, as the fake API server reports them, are all one real browser pod
/// process on this machine (its IP 127.0.0.1, its DevTools and file ports): sessions on Kubernetes with a real browser, its
/// real bridge and file endpoint. Plus a small site on loopback for it to log in to (this browser is not sandboxed).
/// </summary>
public sealed class BrowserPodClusterFixture : IAsyncLifetime
{
    // In-process silos are built by the test host, which can only hand them statics.
    private static string s_apiUrl = "";
    private static BrowserPodProcess? s_pod;

    private readonly ConcurrentDictionary<string, string> _logins = new();
    private WebApplication? _site;

    public BrowserPodProcess Pod { get; private set; } = null!;

    public FakeKubernetesApi Api { get; private set; } = null!;

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public string SiteUrl { get; private set; } = "";

    public SessionFiles Files => ((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services.GetRequiredService<SessionFiles>();

    public async Task InitializeAsync()
    {
        Pod = await BrowserPodProcess.StartAsync();
        Api = await FakeKubernetesApi.StartAsync();
        Api.Seed("namespaces", KubernetesPodProviderTests.Namespace("ufb-pool"));
        s_apiUrl = Api.Url;
        s_pod = Pod;
        await StartSiteAsync();
        Cluster = new TestClusterBuilder(1).AddSiloBuilderConfigurator<SiloConfigurator>().Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Api.DisposeAsync();
        if (_site is not null)
        {
            await _site.DisposeAsync();
        }

        await Pod.DisposeAsync();
    }

    private async Task StartSiteAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _site = builder.Build();
        _site.MapGet("/login", (HttpResponse response, string user) =>
        {
            var token = Guid.NewGuid().ToString("N");
            _logins[token] = user;
            response.Cookies.Append("sid", token, new CookieOptions { HttpOnly = true, Path = "/" });
            return Results.Content($"<!doctype html><title>in</title><script>localStorage.setItem('user', '{user}')</script>", "text/html");
        });
        _site.MapGet("/whoami", (HttpRequest request) => Results.Content(
            $"<!doctype html><title>{(request.Cookies.TryGetValue("sid", out var token) && _logins.TryGetValue(token, out var user) ? user : "nobody")}</title>",
            "text/html"));
        _site.MapGet("/export", () => Results.Content(
            "<!doctype html><title>export</title><body style='margin:0'><a id=a style='display:block;width:200px;height:100px'>x</a><script>" +
            "a.href=URL.createObjectURL(new Blob(['r\\u00e9sultat 1,2,3'],{type:'text/csv'}));a.download='résultat.csv'</script>",
            "text/html; charset=utf-8"));
        await _site.StartAsync();
        SiteUrl = _site.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var pod = s_pod!;
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["UFBrowsers:Pods:DefaultNodePool"] = "default",
                ["UFBrowsers:Pods:NodePools:default:WarmTarget"] = "0",
                ["UFBrowsers:Pods:NodePools:default:MaxPods"] = "20",
                ["UFBrowsers:Kubernetes:Host"] = s_apiUrl,
                ["UFBrowsers:Kubernetes:Pods:CdpPort"] = pod.CdpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["UFBrowsers:Kubernetes:Pods:FilesPort"] = pod.FilesPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["UFBrowsers:Kubernetes:Pods:DownloadsDirectory"] = pod.Downloads,
                ["UFBrowsers:Kubernetes:Pods:UploadsDirectory"] = pod.Uploads,
                ["UFBrowsers:Kubernetes:Pods:PollInterval"] = "00:00:00.02",
                ["UFBrowsers:Kubernetes:Pods:StartTimeout"] = "00:00:20",
                ["UFBrowsers:Kubernetes:Reconciler:Enabled"] = "false",
                ["UFBrowsers:Sessions:FirstConnectTimeoutSeconds"] = "0",
                ["UFBrowsers:Sessions:IdleTimeoutSeconds"] = "0",
            }).AddInMemoryCollection(TestPlans.Configuration).Build();

            siloBuilder.AddUFBrowsersMemoryStorage();
            siloBuilder.Services.AddKubernetesPods(configuration);
            siloBuilder.Services.AddUFBrowsersGrainServices(configuration);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserPodClusterCollection : ICollectionFixture<BrowserPodClusterFixture>
{
    public const string Name = "kubernetes-browser-pod";
}
