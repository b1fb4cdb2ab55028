using System.Security.Cryptography;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Pods;

namespace UFBrowsers.Silo.Kubernetes;

/// <summary>
/// Browser pods on Kubernetes. Warm pods wait in the pool namespace; a pod made on demand for a session goes to the
/// tenant's namespace, where the tenant's quota counts it. After creating a pod the provider watches it (no polling of
/// the API server) until it runs with an IP and its DevTools port passes the kubelet's readiness probe, then reads the
/// browser's WebSocket path from <c>/json/version</c>. A pod is deleted after its one session. Pods that die on their own
/// are found by <see cref="KubernetesPodReconciler"/>.
/// </summary>
/// <remarks>
/// A tenant whose quota is full only because its last pods are still terminating (deleted pods count against the quota
/// until their grace period ends) gets its pod once they are gone: creation is retried while the quota refuses it, within
/// <see cref="KubernetesPodOptions.StartTimeout"/>. A tenant namespace being deleted refuses at once. A lease's pod id is
/// <c>namespace/name</c>, so deletion needs no lookup.
/// </remarks>
public sealed partial class KubernetesPodProvider : IPodProvider, IDisposable
{
    private readonly IKubernetes _client;
    private readonly KubernetesPodOptions _options;
    private readonly string _owner;
    private readonly ILogger _logger;
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(3) };

    public KubernetesPodProvider(IKubernetes client, IOptions<KubernetesPodOptions> options, IOptions<KubernetesOptions> cluster, ILogger<KubernetesPodProvider> logger)
    {
        _client = client;
        _options = options.Value;
        _owner = cluster.Value.Owner;
        _logger = logger;
    }

    public static string PodId(string @namespace, string name) => $"{@namespace}/{name}";

    public static (string Namespace, string Name) ParsePodId(string podId)
    {
        var slash = podId.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == podId.Length - 1)
        {
            throw new ArgumentException($"'{podId}' is not a Kubernetes pod id (namespace/name).", nameof(podId));
        }

        return (podId[..slash], podId[(slash + 1)..]);
    }

    public async Task<PodLease> CreateAsync(string nodePool, CancellationToken cancellationToken, PodAssignment? assignment = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodePool);
        var ns = assignment?.TenantNamespace ?? _options.Namespace;
        var name = $"ufb-{KubernetesLabels.Value(nodePool).ToLowerInvariant().Replace('_', '-').Replace('.', '-')}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5))}";
        var pod = BrowserPodManifest.Build(name, ns, nodePool, _options, _owner, assignment);

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_options.StartTimeout);
        V1Pod created;
        try
        {
            created = await CreateWithinQuotaAsync(pod, ns, limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Browser pod {ns}/{name} could not be created within {_options.StartTimeout.TotalSeconds:0.#} s: the namespace's quota stayed full.");
        }

        try
        {
            var lease = await WaitUntilReadyAsync(created, nodePool, limit.Token);
            _logger.LogInformation("Browser pod {PodId} of node pool {NodePool} is ready", lease.PodId, nodePool);
            return lease;
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Browser pod {Namespace}/{Name} did not become ready; deleting it", ns, name);
            await DeleteQuietlyAsync(ns, name);
            if (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Browser pod {ns}/{name} did not answer on DevTools within {_options.StartTimeout.TotalSeconds:0.#} s.");
            }

            throw;
        }
    }

    public async Task AssignAsync(PodLease pod, PodAssignment assignment, CancellationToken cancellationToken)
    {
        var (ns, name) = ParsePodId(pod.PodId);
        var patch = new { metadata = new { labels = BrowserPodManifest.AssignmentLabels(assignment) } };
        await _client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch(JsonSerializer.Serialize(patch), V1Patch.PatchType.MergePatch), name, ns, cancellationToken: cancellationToken);
    }

    public async Task DeleteAsync(PodLease pod, CancellationToken cancellationToken)
    {
        var (ns, name) = ParsePodId(pod.PodId);
        try
        {
            await _client.CoreV1.DeleteNamespacedPodAsync(name, ns, cancellationToken: cancellationToken);
            _logger.LogInformation("Browser pod {PodId} deleted", pod.PodId);
        }
        catch (HttpOperationException ex) when (ex.IsNotFound())
        {
            // Gone already: single use is guaranteed either way.
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Creates the pod; while the quota refuses it (pods still terminating count), tries again with backoff.</summary>
    private async Task<V1Pod> CreateWithinQuotaAsync(V1Pod pod, string ns, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                return await _client.CoreV1.CreateNamespacedPodAsync(pod, ns, cancellationToken: cancellationToken);
            }
            catch (HttpOperationException ex) when (ex.IsQuotaExceeded())
            {
                _logger.LogInformation("Browser pod {Namespace}/{Name} waits for quota: {Reason}", ns, pod.Metadata.Name, ex.Describe());
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
            catch (HttpOperationException ex) when (ex.IsNamespaceTerminating())
            {
                throw new TenantNamespaceTerminatingException($"Browser pod {ns}/{pod.Metadata.Name} cannot be created: {ex.Describe()}.");
            }
        }
    }

    private async Task<PodLease> WaitUntilReadyAsync(V1Pod created, string nodePool, CancellationToken cancellationToken)
    {
        var (ns, name) = (created.Metadata.NamespaceProperty ?? _options.Namespace, created.Metadata.Name);
        created.Metadata.NamespaceProperty = ns;
        await foreach (var pod in PodWatch.Follow(_client, created, cancellationToken))
        {
            if (pod is null || pod.Metadata.DeletionTimestamp is not null)
            {
                throw new InvalidOperationException($"Browser pod {ns}/{name} was deleted before DevTools answered.");
            }

            var phase = pod.Status?.Phase;
            if (phase is "Failed" or "Succeeded")
            {
                throw new InvalidOperationException($"Browser pod {ns}/{name} ended ({phase}) before DevTools answered: {pod.Status?.Message ?? pod.Status?.Reason}");
            }

            if (phase != "Running" || pod.Status?.PodIP is not { Length: > 0 } ip || !IsReady(pod))
            {
                continue;
            }

            // The kubelet saw the DevTools port open; the browser's path comes from DevTools itself, which may lag a little.
            while (true)
            {
                if (await DevToolsWebSocketPathAsync(ip, cancellationToken) is { } browserPath)
                {
                    var host = ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip;
                    var authority = $"{host}:{_options.CdpPort}";
                    return new PodLease(PodId(ns, name), nodePool, $"ws://{authority}{browserPath}", $"http://{authority}",
                        DownloadsDirectory: _options.DownloadsDirectory);
                }

                await Task.Delay(_options.PollInterval, cancellationToken);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        throw new InvalidOperationException($"The watch of browser pod {ns}/{name} ended.");
    }

    private static bool IsReady(V1Pod pod) =>
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>The browser target's path from <c>/json/version</c>, or null while DevTools does not answer.</summary>
    private async Task<string?> DevToolsWebSocketPathAsync(string ip, CancellationToken cancellationToken)
    {
        var host = ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip;
        try
        {
            using var response = await _http.GetAsync($"http://{host}:{_options.CdpPort}/json/version", cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            using var version = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            return version.RootElement.TryGetProperty("webSocketDebuggerUrl", out var url)
                   && Uri.TryCreate(url.GetString(), UriKind.Absolute, out var uri)
                   && uri.AbsolutePath.StartsWith("/devtools/browser/", StringComparison.Ordinal)
                ? uri.AbsolutePath
                : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException
                                   || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    private async Task DeleteQuietlyAsync(string ns, string name)
    {
        try
        {
            await _client.CoreV1.DeleteNamespacedPodAsync(name, ns);
        }
        catch (HttpOperationException ex) when (ex.IsNotFound())
        {
            // Never created or already gone.
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Could not delete browser pod {Namespace}/{Name}; the reconciler will", ns, name);
        }
    }
}
