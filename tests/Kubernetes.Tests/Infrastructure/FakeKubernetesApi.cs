using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace UFBrowsers.Kubernetes.Tests.Infrastructure;

/// <summary>
/// An in-memory Kubernetes API server on loopback, enough for the resources UFBrowsers uses: create (201, 409
/// AlreadyExists, 404 when the namespace is missing), get and list with label selectors (404), replace with
/// resourceVersion checks (409 Conflict), JSON merge patch, delete (a namespace takes its objects with it). Objects are
/// kept as the JSON the client sent, so tests can check exactly what was sent. A pod is "scheduled" at creation: it gets
/// <see cref="PodPhaseOnCreate"/> and <see cref="PodIp"/>, standing in for a kubelet.
/// </summary>
public sealed class FakeKubernetesApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly List<InjectedFailure> _failures = [];
    private long _resourceVersion = 1000;

    private FakeKubernetesApi(WebApplication app)
    {
        _app = app;
        _app.Run(HandleAsync);
    }

    public string Url { get; private set; } = "";

    public ConcurrentQueue<string> Requests { get; } = new();

    public string PodPhaseOnCreate { get; set; } = "Running";

    public string? PodIp { get; set; } = "127.0.0.1";

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
            meta["creationTimestamp"] = (createdAt ?? DateTimeOffset.UtcNow).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            _objects[Key(resource, Namespace(obj), meta["name"]!.GetValue<string>())] = obj;
        }
    }

    /// <summary>Makes an object vanish without any API call, as a node that dies takes its pods.</summary>
    public bool Remove(string resource, string? ns, string name)
    {
        lock (_gate)
        {
            return _objects.Remove(Key(resource, ns, name));
        }
    }

    public void Mutate(string resource, string? ns, string name, Action<JsonObject> change)
    {
        lock (_gate)
        {
            change(_objects[Key(resource, ns, name)]);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static string Key(string resource, string? ns, string name) => $"{resource}|{ns}|{name}";

    private static string? Namespace(JsonObject obj) => obj["metadata"]?["namespace"]?.GetValue<string>();

    private string NextVersion() => (++_resourceVersion).ToString(CultureInfo.InvariantCulture);

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        Requests.Enqueue($"{request.Method} {request.Path}{request.QueryString}");
        var route = Route.Parse(request.Path.Value ?? "");
        if (route is null)
        {
            await Reply(context, Status(HttpStatusCode.NotFound, "NotFound", $"no route {request.Path}"));
            return;
        }

        var body = request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0
            ? JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync()) as JsonObject
            : null;

        (int Code, JsonObject Body) result;
        lock (_gate)
        {
            result = TakeFailure(request.Method, route.Resource) is { } failure
                ? Status(failure, "InternalError", "injected failure")
                : (request.Method, route.Name) switch
                {
                    ("GET", null) => (200, ListObjects(route, request.Query["labelSelector"])),
                    ("GET", _) => Read(route),
                    ("POST", null) => Create(route, body!),
                    ("PUT", _) => Replace(route, body!),
                    ("PATCH", _) => Patch(route, body!),
                    ("DELETE", _) => Delete(route),
                    _ => Status(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", request.Method),
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

    private JsonObject ListObjects(Route route, string? labelSelector)
    {
        var selector = new LabelSelector(labelSelector);
        var items = new JsonArray();
        foreach (var (key, obj) in _objects)
        {
            if (key.StartsWith(route.Resource + "|", StringComparison.Ordinal)
                && (route.Namespace is null || Namespace(obj) == route.Namespace)
                && selector.Matches(Labels(obj)))
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
            : NotFound(route.Resource, route.Name!);

    private (int, JsonObject) Create(Route route, JsonObject body)
    {
        var meta = body["metadata"]?.AsObject();
        var name = meta?["name"]?.GetValue<string>();
        if (meta is null || string.IsNullOrEmpty(name))
        {
            return Status(HttpStatusCode.UnprocessableEntity, "Invalid", "metadata.name is required");
        }

        if (route.Namespace is { } ns && !_objects.ContainsKey(Key("namespaces", null, ns)))
        {
            return NotFound("namespaces", ns);
        }

        var key = Key(route.Resource, route.Namespace, name);
        if (_objects.ContainsKey(key))
        {
            return Status(HttpStatusCode.Conflict, "AlreadyExists", $"{route.Resource} \"{name}\" already exists");
        }

        if (meta["resourceVersion"] is not null)
        {
            return Status(HttpStatusCode.BadRequest, "BadRequest", "resourceVersion should not be set on objects to be created");
        }

        if (route.Namespace is not null)
        {
            meta["namespace"] = route.Namespace;
        }

        meta["uid"] = Guid.NewGuid().ToString();
        meta["resourceVersion"] = NextVersion();
        meta["creationTimestamp"] = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        if (route.Resource == "namespaces")
        {
            body["status"] = new JsonObject { ["phase"] = "Active" };
        }
        else if (route.Resource == "pods")
        {
            body["status"] = new JsonObject { ["phase"] = PodPhaseOnCreate, ["podIP"] = PodIp };
        }

        _objects[key] = body;
        return (201, (JsonObject)body.DeepClone());
    }

    private (int, JsonObject) Replace(Route route, JsonObject body)
    {
        var key = Key(route.Resource, route.Namespace, route.Name!);
        if (!_objects.TryGetValue(key, out var existing))
        {
            return NotFound(route.Resource, route.Name!);
        }

        var meta = body["metadata"]!.AsObject();
        var stored = existing["metadata"]!.AsObject();
        if (meta["resourceVersion"]?.GetValue<string>() is { } version && version != stored["resourceVersion"]!.GetValue<string>())
        {
            return Status(HttpStatusCode.Conflict, "Conflict", $"the object has been modified; please apply your changes to the latest version");
        }

        meta["uid"] = stored["uid"]!.DeepClone();
        meta["creationTimestamp"] = stored["creationTimestamp"]!.DeepClone();
        meta["resourceVersion"] = NextVersion();
        if (route.Namespace is not null)
        {
            meta["namespace"] = route.Namespace;
        }

        // The main resource never changes status.
        body["status"] = existing["status"]?.DeepClone();
        _objects[key] = body;
        return (200, (JsonObject)body.DeepClone());
    }

    private (int, JsonObject) Patch(Route route, JsonObject patch)
    {
        var key = Key(route.Resource, route.Namespace, route.Name!);
        if (!_objects.TryGetValue(key, out var existing))
        {
            return NotFound(route.Resource, route.Name!);
        }

        MergePatch(existing, patch);
        existing["metadata"]!["resourceVersion"] = NextVersion();
        return (200, (JsonObject)existing.DeepClone());
    }

    private (int, JsonObject) Delete(Route route)
    {
        var key = Key(route.Resource, route.Namespace, route.Name!);
        if (!_objects.Remove(key, out var deleted))
        {
            return NotFound(route.Resource, route.Name!);
        }

        if (route.Resource == "namespaces")
        {
            foreach (var contained in _objects.Where(e => Namespace(e.Value) == route.Name).Select(e => e.Key).ToList())
            {
                _objects.Remove(contained);
            }
        }

        return (200, deleted);
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

    private static (int, JsonObject) NotFound(string resource, string name) =>
        Status(HttpStatusCode.NotFound, "NotFound", $"{resource} \"{name}\" not found");

    private static (int, JsonObject) Status(HttpStatusCode code, string reason, string message) =>
        ((int)code, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = (int)code,
        });

    private static (int, JsonObject) Status(HttpStatusCode? code, string reason, string message) => Status(code!.Value, reason, message);

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
