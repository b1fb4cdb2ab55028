using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Kubernetes.Tests.Infrastructure;
using UFBrowsers.Silo.Kubernetes;

namespace UFBrowsers.Kubernetes.Tests;

/// <summary>The liveness seam on Kubernetes: which of a pool's browser pods the API server says are alive, in one list call.</summary>
public sealed class KubernetesPodLivenessTests : IAsyncLifetime
{
    private FakeKubernetesApi _api = null!;
    private FakeCdpEndpoint _cdp = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        _cdp = await FakeCdpEndpoint.StartAsync();
        _api.Seed("namespaces", KubernetesPodProviderTests.Namespace("ufb-pool"));
        _api.Seed("namespaces", KubernetesPodProviderTests.Namespace("ufb-t-cus-1"));
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _cdp.DisposeAsync();
    }

    [Fact]
    public async Task Alive_are_the_pools_pods_in_every_namespace_that_have_not_ended_with_the_session_each_serves()
    {
        using var provider = Provider();
        var warm = await provider.CreateAsync("gpu", CancellationToken.None);
        var onDemand = await provider.CreateAsync("gpu", CancellationToken.None, new PodAssignment("ses_1", "cus-1", "ufb-t-cus-1"));
        var failed = await provider.CreateAsync("gpu", CancellationToken.None);
        var vanished = await provider.CreateAsync("gpu", CancellationToken.None);
        var otherPool = await provider.CreateAsync("cpu", CancellationToken.None);
        var (failedNs, failedName) = KubernetesPodProvider.ParsePodId(failed.PodId);
        _api.Mutate("pods", failedNs, failedName, pod => pod["status"]!["phase"] = "Failed");
        var (vanishedNs, vanishedName) = KubernetesPodProvider.ParsePodId(vanished.PodId);
        Assert.True(_api.Remove("pods", vanishedNs, vanishedName));

        var alive = await provider.ListAliveAsync("gpu", CancellationToken.None);

        Assert.Equal(
            new[] { (warm.PodId, (string?)null), (onDemand.PodId, "ses_1") }.OrderBy(p => p.Item1),
            alive.Select(p => (p.PodId, p.SessionId)).OrderBy(p => p.Item1));
        Assert.All(alive, pod => Assert.NotNull(pod.CreatedAt));
        Assert.DoesNotContain(otherPool.PodId, alive.Select(p => p.PodId));
    }

    [Fact]
    public async Task A_listing_the_api_server_refuses_is_an_error_not_an_empty_list()
    {
        using var provider = new KubernetesPodProvider(
            new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = "http://127.0.0.1:9" }),
            Options.Create(new KubernetesPodOptions()),
            Options.Create(new KubernetesOptions { Owner = "test-install" }),
            NullLogger<KubernetesPodProvider>.Instance);

        await Assert.ThrowsAnyAsync<Exception>(() => provider.ListAliveAsync("gpu", CancellationToken.None));
    }

    private KubernetesPodProvider Provider() => new(
        _api.Client(),
        Options.Create(new KubernetesPodOptions
        {
            CdpPort = _cdp.Port,
            PollInterval = TimeSpan.FromMilliseconds(20),
            StartTimeout = TimeSpan.FromSeconds(10),
            NodePools =
            {
                ["gpu"] = new KubernetesNodePoolOptions { Image = "example/chromium:gpu" },
                ["cpu"] = new KubernetesNodePoolOptions { Image = "example/chromium:cpu" },
            },
        }),
        Options.Create(new KubernetesOptions { Owner = "test-install" }),
        NullLogger<KubernetesPodProvider>.Instance);
}
