using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace UFBrowsers.Kubernetes.Tests.Infrastructure;

/// <summary>
/// An in-memory Kubernetes API server on loopback that behaves, for the resources UFBrowsers uses, as a real one does:
/// <list type="bullet">
/// <item>a pod is created Pending without an IP and becomes Running (IP, Ready condition) or Failed after
/// <see cref="PodStartDelay"/>, as a scheduler and kubelet would;</item>
/// <item>deleting a pod sets its deletionTimestamp and removes it only after its grace period (scaled by
/// <see cref="GracePeriodScale"/>); until then it is listed, watched and counted by quotas;</item>
/// <item>ResourceQuota is enforced on pod creation with the admission plugin's 403 (<c>exceeded quota: …</c>);</item>
/// <item>deleting a namespace makes it Terminating: it refuses new objects (403, cause NamespaceTerminating), a create of
/// the namespace itself answers 409 AlreadyExists, and it goes once its pods are gone;</item>
/// <item><c>?watch=true</c> streams ADDED/MODIFIED/DELETED events as JSON lines (chunked), from a resourceVersion on, or 410
/// Expired when that version is older than the retained history;</item>
/// <item>create (201, 409 AlreadyExists, 404 without the namespace), get and list with label and field selectors, replace
/// with resourceVersion checks (409 Conflict), JSON merge patch, delete with a uid precondition (409 Conflict).</item>
/// </list>
/// Failures are <c>Status</c> objects with code, reason, message and details, shaped as the real server's. Objects are kept
/// as the JSON the client sent, so tests can check exactly what was sent.
/// </summary>
public sealed class FakeKubernetesApi : IAsyncDisposable
{
    private const int RetainedEvents = 500;

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly List<InjectedFailure> _failures = [];
    private readonly LinkedList<WatchEvent> _history = new();
    private readonly List<Watcher> _watchers = [];
    private readonly CancellationTokenSource _stopping = new();
    private long _resourceVersion = 1000;

    private FakeKubernetesApi(WebApplication app)
    {
        _app = app;
        _app.Run(HandleAsync);
    }

    public string Url { get; private set; } = "";

    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The phase a new pod reaches after <see cref="PodStartDelay"/>: Running, or Failed (the image never starts).</summary>
    public string PodPhaseOnCreate { get; set; } = "Running";

    public string? PodIp { get; set; } = "127.0.0.1";

    /// <summary>How long a pod stays Pending before the stand-in kubelet runs it.</summary>
    public TimeSpan PodStartDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Real seconds per second of a pod's termination grace period (pods ask for 5 s; 0.1 makes that half a second).</summary>
    public double GracePeriodScale { get; set; } = 0.1;

    /// <summary>How long a Terminating namespace lingers after its last pod is gone.</summary>
    public TimeSpan NamespaceFinalizeDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public static async Task<FakeKubernetesApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var api = new FakeKubernetesApi(builder.Build());
        await api._app.StartAsync();
        api.Url = api._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return api;
    }

    public IKubernetes Client() => new k8s.Kubernetes(new KubernetesClientConfiguration { Host = Url });

    /// <summary>The next <paramref name="times"/> requests of this method on this resource fail with <paramref name="status"/>.</summary>
    public void Fail(string method, string resource, int times = 1, HttpStatusCode status = HttpStatusCode.InternalServerError)
    {
        lock (_gate)
        {
            _failures.Add(new InjectedFailure(method, resource, status) { Remaining = times });
        }
    }

    public JsonObject? Get(string resource, string? ns, string name)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(Key(resource, ns, name), out var o) ? (JsonObject)o.DeepClone() : null;
        }
    }

    public IReadOnlyList<JsonObject> List(string resource, string? ns = null)
    {
        lock (_gate)
        {
            return _objects.Where(e => e.Key.StartsWith(resource + "|", StringComparison.Ordinal) && (ns is null || Namespace(e.Value) == ns))
                .Select(e => (JsonObject)e.Value.DeepClone()).ToList();
        }
    }

    /// <summary>Puts an object straight into the store, as another client would have made it.</summary>
    public void Seed(string resource, JsonObject obj, DateTimeOffset? createdAt = null)
    {
        lock (_gate)
        {
            var meta = obj["metadata"]!.AsObject();
            meta["uid"] = Guid.NewGuid().ToString();
            meta["resourceVersion"] = NextVersion();
            meta["creationTimestamp"] = Timestamp(createdAt ?? DateTimeOffset.UtcNow);
            _objects[Key(resource, Namespace(obj), meta["name"]!.GetValue<string>())] = obj;
            Publish("ADDED", resource, obj);
        }
    }

    /// <summary>Makes an object vanish without any API call, as a node that dies takes its pods.</summary>
    public bool Remove(string resource, string? ns, string name)
    {
        lock (_gate)
        {
            if (!_objects.Remove(Key(resource, ns, name), out var removed))
            {
                return false;
            }

            removed["metadata"]!["resourceVersion"] = NextVersion();
            Publish("DELETED", resource, removed);
            return true;
        }
    }

    public void Mutate(string resource, string? ns, string name, Action<JsonObject> change)
    {
        lock (_gate)
        {
            var obj = _objects[Key(resource, ns, name)];
            change(obj);
            obj["metadata"]!["resourceVersion"] = NextVersion();
            Publish("MODIFIED", resource, obj);
        }
    }

    /// <summary>How many watch requests are streaming now.</summary>
    public int OpenWatches
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private static string Key(string resource, string? ns, string name) => $"{resource}|{ns}|{name}";

    private static string? Namespace(JsonObject obj) => obj["metadata"]?["namespace"]?.GetValue<string>();

    private static string Name(JsonObject obj) => obj["metadata"]!["name"]!.GetValue<string>();

    private static long? Number(JsonNode? node) => node is null ? null : long.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private string NextVersion() => (++_resourceVersion).ToString(CultureInfo.InvariantCulture);

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        Requests.Enqueue($"{request.Method} {request.Path}{request.QueryString}");
        var route = Route.Parse(request.Path.Value ?? "");
        if (route is null)
        {
            await Reply(context, KubernetesStatus.Failure(HttpStatusCode.NotFound, "NotFound", "the server could not find the requested resource"));
            return;
        }

        if (request.Method == "GET" && route.Name is null && request.Query["watch"] is var watch && (watch == "true" || watch == "1"))
        {
            await WatchAsync(context, route);
            return;
        }

        var body = request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0
            ? JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync()) as JsonObject
            : null;

        (int Code, JsonObject Body) result;
        lock (_gate)
        {
            result = TakeFailure(request.Method, route.Resource) is { } failure
                ? KubernetesStatus.Failure(failure, "InternalError", "an error on the server (\"injected failure\") has prevented the request from succeeding")
                : (request.Method, route.Name) switch
                {
                    ("GET", null) => (200, ListObjects(route, request.Query["labelSelector"], request.Query["fieldSelector"])),
                    ("GET", _) => Read(route),
                    ("POST", null) => Create(route, body!),
                    ("PUT", _) => Replace(route, body!),
                    ("PATCH", _) => Patch(route, body!),
                    ("DELETE", _) => Delete(route, body),
                    _ => KubernetesStatus.Failure(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", $"the server does not allow this method on the requested resource"),
                };
        }

        await Reply(context, result);
    }

    private HttpStatusCode? TakeFailure(string method, string resource)
    {
        var failure = _failures.FirstOrDefault(f => f.Method == method && f.Resource == resource && f.Remaining > 0);
        if (failure is null)
        {
            return null;
        }

        failure.Remaining--;
        return failure.Status;
    }

    private JsonObject ListObjects(Route route, string? labelSelector, string? fieldSelector)
    {
        var filter = new Filter(route, labelSelector, fieldSelector);
        var items = new JsonArray();
        foreach (var (key, obj) in _objects)
        {
            if (filter.Matches(route.Resource, key, obj))
            {
                items.Add(obj.DeepClone());
            }
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "List",
            ["metadata"] = new JsonObject { ["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture) },
            ["items"] = items,
        };
    }

    private (int, JsonObject) Read(Route route) =>
        _objects.TryGetValue(Key(route.Resource, route.Namespace, route.Name!), out var obj)
            ? (200, (JsonObject)obj.DeepClone())
            : KubernetesStatus.NotFound(route.Resource, route.Name!);

    private (int, JsonObject) Create(Route route, JsonObject body)
    {
        var meta = body["metadata"]?.AsObject();
        var name = meta?["name"]?.GetValue<string>();
        if (meta is null || string.IsNullOrEmpty(name))
        {
            return KubernetesStatus.Failure(HttpStatusCode.UnprocessableEntity, "Invalid", $"{route.Resource} \"\" is invalid: metadata.name: Required value: name or generateName is required", route.Resource, "");
        }

        if (route.Namespace is { } ns)
        {
            if (!_objects.TryGetValue(Key("namespaces", null, ns), out var namespaceObject))
            {
                return KubernetesStatus.NotFound("namespaces", ns);
            }

            if (namespaceObject["metadata"]?["deletionTimestamp"] is not null)
            {
                return KubernetesStatus.NamespaceTerminating(route.Resource, name, ns);
            }
        }

        var key = Key(route.Resource, route.Namespace, name);
        if (_objects.TryGetValue(key, out var existing))
        {
            return KubernetesStatus.AlreadyExists(route.Resource, name, beingDeleted: existing["metadata"]?["deletionTimestamp"] is not null);
        }

        if (meta["resourceVersion"] is not null)
        {
            return KubernetesStatus.Failure(HttpStatusCode.BadRequest, "BadRequest", "resourceVersion should not be set on objects to be created");
        }

        if (route.Resource == "pods" && QuotaRefusal(route.Namespace!, name, body) is { } refused)
        {
            return refused;
        }

        if (route.Namespace is not null)
        {
            meta["namespace"] = route.Namespace;
        }

        meta["uid"] = Guid.NewGuid().ToString();
        meta["resourceVersion"] = NextVersion();
        meta["creationTimestamp"] = Timestamp(DateTimeOffset.UtcNow);
        if (route.Resource == "namespaces")
        {
            body["status"] = new JsonObject { ["phase"] = "Active" };
        }
        else if (route.Resource == "pods")
        {
            body["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "Burstable" };
            var uid = meta["uid"]!.GetValue<string>();
            After(PodStartDelay, () => StartPod(key, uid));
        }

        _objects[key] = body;
        Publish("ADDED", route.Resource, body);
        return (201, (JsonObject)body.DeepClone());
    }

    /// <summary>The stand-in scheduler and kubelet: the pod runs (with an IP, passing its readiness probe) or fails.</summary>
    private void StartPod(string key, string uid)
    {
        if (!_objects.TryGetValue(key, out var pod) || pod["metadata"]!["uid"]!.GetValue<string>() != uid || pod["metadata"]!["deletionTimestamp"] is not null)
        {
            return;
        }

        var now = Timestamp(DateTimeOffset.UtcNow);
        pod["status"] = PodPhaseOnCreate == "Running"
            ? new JsonObject
            {
                ["phase"] = "Running",
                ["podIP"] = PodIp,
                ["podIPs"] = PodIp is null ? new JsonArray() : new JsonArray(new JsonObject { ["ip"] = PodIp }),
                ["startTime"] = now,
                ["conditions"] = new JsonArray(
                    new JsonObject { ["type"] = "PodScheduled", ["status"] = "True", ["lastTransitionTime"] = now },
                    new JsonObject { ["type"] = "Initialized", ["status"] = "True", ["lastTransitionTime"] = now },
                    new JsonObject { ["type"] = "ContainersReady", ["status"] = "True", ["lastTransitionTime"] = now },
                    new JsonObject { ["type"] = "Ready", ["status"] = "True", ["lastTransitionTime"] = now }),
            }
            : new JsonObject
            {
                ["phase"] = PodPhaseOnCreate,
                ["reason"] = "Error",
                ["message"] = "the browser container exited with code 1",
                ["startTime"] = now,
            };
        pod["metadata"]!["resourceVersion"] = NextVersion();
        Publish("MODIFIED", "pods", pod);
    }

    /// <summary>The ResourceQuota admission plugin: pods that have not finished count, terminating ones included.</summary>
    private (int, JsonObject)? QuotaRefusal(string ns, string name, JsonObject pod)
    {
        var counted = _objects.Where(e => e.Key.StartsWith("pods|", StringComparison.Ordinal) && Namespace(e.Value) == ns
                                          && e.Value["status"]?["phase"]?.GetValue<string>() is not ("Succeeded" or "Failed"))
            .Select(e => e.Value).ToList();
        foreach (var quota in _objects.Where(e => e.Key.StartsWith("resourcequotas|", StringComparison.Ordinal) && Namespace(e.Value) == ns).Select(e => e.Value))
        {
            var exceeded = new List<(string Resource, decimal Requested, decimal Used, decimal Hard)>();
            foreach (var (resource, hardNode) in quota["spec"]?["hard"]?.AsObject() ?? [])
            {
                var hard = new ResourceQuantity(hardNode!.GetValue<string>()).ToDecimal();
                var requested = Usage(pod, resource);
                var used = counted.Sum(p => Usage(p, resource));
                if (used + requested > hard)
                {
                    exceeded.Add((resource, requested, used, hard));
                }
            }

            if (exceeded.Count > 0)
            {
                string Format(Func<(string Resource, decimal Requested, decimal Used, decimal Hard), decimal> value) =>
                    string.Join(",", exceeded.Select(e => $"{e.Resource}={Quantity(e.Resource, value(e))}"));
                return KubernetesStatus.QuotaExceeded("pods", name, Name(quota), Format(e => e.Requested), Format(e => e.Used), Format(e => e.Hard));
            }
        }

        return null;
    }

    private static decimal Usage(JsonObject pod, string resource)
    {
        if (resource == "pods")
        {
            return 1;
        }

        var parts = resource.Split('.', 2);
        if (parts.Length != 2)
        {
            return 0;
        }

        var (kind, name) = (parts[0] == "requests" ? "requests" : "limits", parts[1]);
        return (pod["spec"]?["containers"]?.AsArray() ?? [])
            .Sum(c => c?["resources"]?[kind]?[name]?.GetValue<string>() is { } q ? new ResourceQuantity(q).ToDecimal() : 0m);
    }

    private static string Quantity(string resource, decimal value) =>
        resource == "pods" ? value.ToString(CultureInfo.InvariantCulture)
        : resource.EndsWith("cpu", StringComparison.Ordinal) ? $"{decimal.Round(value * 1000)}m"
        : $"{decimal.Round(value / (1024 * 1024))}Mi";

    private (int, JsonObject) Replace(Route route, JsonObject body)
    {
        var key = Key(route.Resource, route.Namespace, route.Name!);
        if (!_objects.TryGetValue(key, out var existing))
        {
            return KubernetesStatus.NotFound(route.Resource, route.Name!);
        }

        var meta = body["metadata"]!.AsObject();
        var stored = existing["metadata"]!.AsObject();
        if (meta["resourceVersion"]?.GetValue<string>() is { } version && version != stored["resourceVersion"]!.GetValue<string>())
        {
            return KubernetesStatus.Conflict(route.Resource, route.Name!, "the object has been modified; please apply your changes to the latest version and try again");
        }

        meta["uid"] = stored["uid"]!.DeepClone();
        meta["creationTimestamp"] = stored["creationTimestamp"]!.DeepClone();
        meta["deletionTimestamp"] = stored["deletionTimestamp"]?.DeepClone();
        meta["resourceVersion"] = NextVersion();
        if (route.Namespace is not null)
        {
            meta["namespace"] = route.Namespace;
        }

        // The main resource never changes status.
        body["status"] = existing["status"]?.DeepClone();
        _objects[key] = body;
        Publish("MODIFIED", route.Resource, body);
        return (200, (JsonObject)body.DeepClone());
    }

    private (int, JsonObject) Patch(Route route, JsonObject patch)
    {
        var key = Key(route.Resource, route.Namespace, route.Name!);
        if (!_objects.TryGetValue(key, out var existing))
        {
            return KubernetesStatus.NotFound(route.Resource, route.Name!);
        }

        MergePatch(existing, patch);
        existing["metadata"]!["resourceVersion"] = NextVersion();
        Publish("MODIFIED", route.Resource, existing);
        return (200, (JsonObject)existing.DeepClone());
    }

    private (int, JsonObject) Delete(Route route, JsonObject? options)
    {
        var key = Key(route.Resource, route.Namespace, route.Name!);
        if (!_objects.TryGetValue(key, out var existing))
        {
            return KubernetesStatus.NotFound(route.Resource, route.Name!);
        }

        var uid = existing["metadata"]!["uid"]!.GetValue<string>();
        if (options?["preconditions"]?["uid"]?.GetValue<string>() is { } expected && expected != uid)
        {
            return KubernetesStatus.Conflict(route.Resource, route.Name!, $"Precondition failed: UID in precondition: {expected}, UID in object meta: {uid}");
        }

        if (existing["metadata"]!["deletionTimestamp"] is not null)
        {
            return (200, (JsonObject)existing.DeepClone());
        }

        switch (route.Resource)
        {
            case "pods":
                var grace = Number(options?["gracePeriodSeconds"]) ?? Number(existing["spec"]?["terminationGracePeriodSeconds"]) ?? 30;
                if (grace <= 0)
                {
                    return (200, RemoveNow(route.Resource, key));
                }

                existing["metadata"]!["deletionTimestamp"] = Timestamp(DateTimeOffset.UtcNow.AddSeconds(grace));
                existing["metadata"]!["deletionGracePeriodSeconds"] = grace;
                existing["metadata"]!["resourceVersion"] = NextVersion();
                Publish("MODIFIED", route.Resource, existing);
                After(TimeSpan.FromSeconds(grace * GracePeriodScale), () => RemoveIfSame(route.Resource, key, uid));
                return (200, (JsonObject)existing.DeepClone());

            case "namespaces":
                existing["metadata"]!["deletionTimestamp"] = Timestamp(DateTimeOffset.UtcNow);
                existing["status"] = new JsonObject { ["phase"] = "Terminating" };
                existing["metadata"]!["resourceVersion"] = NextVersion();
                Publish("MODIFIED", route.Resource, existing);
                foreach (var (containedKey, contained) in _objects.Where(e => Namespace(e.Value) == route.Name).ToList())
                {
                    var resource = containedKey[..containedKey.IndexOf('|', StringComparison.Ordinal)];
                    if (resource == "pods")
                    {
                        Delete(new Route("pods", route.Name, Name(contained)), null);
                    }
                    else
                    {
                        RemoveNow(resource, containedKey);
                    }
                }

                _ = FinalizeNamespaceAsync(route.Name!, uid);
                return (200, (JsonObject)existing.DeepClone());

            default:
                return (200, RemoveNow(route.Resource, key));
        }
    }

    /// <summary>The namespace controller: once the namespace's pods are gone, the namespace goes too.</summary>
    private async Task FinalizeNamespaceAsync(string ns, string uid)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), _stopping.Token);
                lock (_gate)
                {
                    if (!_objects.Any(e => e.Key.StartsWith("pods|", StringComparison.Ordinal) && Namespace(e.Value) == ns))
                    {
                        break;
                    }
                }
            }

            await Task.Delay(NamespaceFinalizeDelay, _stopping.Token);
            lock (_gate)
            {
                RemoveIfSame("namespaces", Key("namespaces", null, ns), uid);
            }
        }
        catch (OperationCanceledException)
        {
            // The server stopped.
        }
    }

    private void RemoveIfSame(string resource, string key, string uid)
    {
        if (_objects.TryGetValue(key, out var obj) && obj["metadata"]!["uid"]!.GetValue<string>() == uid)
        {
            RemoveNow(resource, key);
        }
    }

    private JsonObject RemoveNow(string resource, string key)
    {
        _objects.Remove(key, out var removed);
        removed!["metadata"]!["resourceVersion"] = NextVersion();
        Publish("DELETED", resource, removed);
        return (JsonObject)removed.DeepClone();
    }

    /// <summary>Runs <paramref name="action"/> under the lock after <paramref name="delay"/>, unless the server stops first.</summary>
    private void After(TimeSpan delay, Action action) =>
        _ = Task.Delay(delay, _stopping.Token).ContinueWith(
            t =>
            {
                if (!t.IsCanceled)
                {
                    lock (_gate)
                    {
                        action();
                    }
                }
            },
            TaskScheduler.Default);

    private void Publish(string type, string resource, JsonObject obj)
    {
        var version = long.Parse(obj["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var watchEvent = new WatchEvent(version, type, resource, (JsonObject)obj.DeepClone());
        _history.AddLast(watchEvent);
        if (_history.Count > RetainedEvents)
        {
            _history.RemoveFirst();
        }

        foreach (var watcher in _watchers)
        {
            if (watcher.Filter.Matches(resource, null, watchEvent.Object))
            {
                watcher.Events.Writer.TryWrite(watchEvent.Line());
            }
        }
    }

    /// <summary>
    /// A watch: the events after the requested resourceVersion (or the current objects as ADDED when none is given), then
    /// every new one as it happens, one JSON line each, until timeoutSeconds, the client leaves or the server stops.
    /// </summary>
    private async Task WatchAsync(HttpContext context, Route route)
    {
        var query = context.Request.Query;
        var watcher = new Watcher(new Filter(route, query["labelSelector"], query["fieldSelector"]));
        var timeout = TimeSpan.FromSeconds(int.TryParse(query["timeoutSeconds"], out var seconds) ? seconds : 1800);
        lock (_gate)
        {
            if (long.TryParse(query["resourceVersion"], out var from) && from > 0)
            {
                if (_history.First is { } oldest && from < oldest.Value.Version - 1)
                {
                    var (_, status) = KubernetesStatus.Gone($"too old resource version: {from} ({oldest.Value.Version - 1})");
                    watcher.Events.Writer.TryWrite(new JsonObject { ["type"] = "ERROR", ["object"] = status }.ToJsonString());
                    watcher.Events.Writer.TryComplete();
                }
                else
                {
                    foreach (var past in _history.Where(e => e.Version > from && watcher.Filter.Matches(e.Resource, null, e.Object)))
                    {
                        watcher.Events.Writer.TryWrite(past.Line());
                    }
                }
            }
            else
            {
                foreach (var (key, obj) in _objects.Where(e => watcher.Filter.Matches(route.Resource, e.Key, e.Value)))
                {
                    watcher.Events.Writer.TryWrite(new WatchEvent(0, "ADDED", route.Resource, obj).Line());
                }
            }

            _watchers.Add(watcher);
        }

        using var end = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        end.CancelAfter(timeout);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        try
        {
            await context.Response.StartAsync(end.Token);
            await foreach (var line in watcher.Events.Reader.ReadAllAsync(end.Token))
            {
                await context.Response.WriteAsync(line + "\n", Encoding.UTF8, end.Token);
                await context.Response.Body.FlushAsync(end.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Timed out, or the client or the server went away: the watch ends, as the real server's does.
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(watcher);
            }
        }
    }

    /// <summary>RFC 7386: objects merge recursively, null removes, anything else replaces.</summary>
    private static void MergePatch(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else if (value is JsonObject patchObject && target[name] is JsonObject targetObject)
            {
                MergePatch(targetObject, patchObject);
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }
    }

    private static IReadOnlyDictionary<string, string> Labels(JsonObject obj) =>
        obj["metadata"]?["labels"] is JsonObject labels
            ? labels.ToDictionary(l => l.Key, l => l.Value?.GetValue<string>() ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>();

    private static async Task Reply(HttpContext context, (int Code, JsonObject Body) result)
    {
        context.Response.StatusCode = result.Code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(result.Body.ToJsonString());
    }

    private sealed class InjectedFailure(string method, string resource, HttpStatusCode status)
    {
        public string Method { get; } = method;

        public string Resource { get; } = resource;

        public HttpStatusCode Status { get; } = status;

        public int Remaining { get; set; }
    }

    private sealed record WatchEvent(long Version, string Type, string Resource, JsonObject Object)
    {
        public string Line() => new JsonObject { ["type"] = Type, ["object"] = Object.DeepClone() }.ToJsonString();
    }

    private sealed class Watcher(Filter filter)
    {
        public Filter Filter { get; } = filter;

        public Channel<string> Events { get; } = Channel.CreateUnbounded<string>();
    }

    /// <summary>Which objects a list or watch covers: resource, namespace, label selector and <c>metadata.name</c>/<c>metadata.namespace</c> fields.</summary>
    private sealed class Filter(Route route, string? labelSelector, string? fieldSelector)
    {
        private readonly LabelSelector _labels = new(labelSelector);
        private readonly Dictionary<string, string> _fields = (fieldSelector ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Split('=', 2))
            .ToDictionary(f => f[0].Trim(), f => f[1].Trim(), StringComparer.Ordinal);

        public bool Matches(string resource, string? key, JsonObject obj) =>
            resource == route.Resource
            && (key is null || key.StartsWith(resource + "|", StringComparison.Ordinal))
            && (route.Namespace is null || FakeKubernetesApi.Namespace(obj) == route.Namespace)
            && (!_fields.TryGetValue("metadata.name", out var name) || FakeKubernetesApi.Name(obj) == name)
            && (!_fields.TryGetValue("metadata.namespace", out var ns) || FakeKubernetesApi.Namespace(obj) == ns)
            && _labels.Matches(Labels(obj));
    }

    /// <summary>
    /// <c>/api/v1/...</c> or <c>/apis/{group}/{version}/...</c> followed by <c>namespaces[/{name}]</c>,
    /// <c>namespaces/{ns}/{resource}[/{name}]</c>, or <c>{resource}</c> across all namespaces.
    /// </summary>
    private sealed record Route(string Resource, string? Namespace, string? Name)
    {
        public static Route? Parse(string path)
        {
            var segments = path.Trim('/').Split('/');
            var rest = segments switch
            {
                ["api", "v1", .. var r] => r,
                ["apis", _, _, .. var r] => r,
                _ => null,
            };

            return rest switch
            {
                ["namespaces"] => new Route("namespaces", null, null),
                ["namespaces", var name] => new Route("namespaces", null, name),
                ["namespaces", var ns, var resource] => new Route(resource, ns, null),
                ["namespaces", var ns, var resource, var name] => new Route(resource, ns, name),
                [var resource] => new Route(resource, null, null),
                _ => null,
            };
        }
    }
}
