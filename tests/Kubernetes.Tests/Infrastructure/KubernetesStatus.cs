using System.Net;
using System.Text.Json.Nodes;

namespace UFBrowsers.Kubernetes.Tests.Infrastructure;

/// <summary>
/// The API server's failure answers: a <c>Status</c> object with the HTTP code, a machine-readable reason, the message
/// kubectl prints, and details naming the object (and causes, where the real server gives them).
/// </summary>
public static class KubernetesStatus
{
    public static (int Code, JsonObject Body) NotFound(string resource, string name) =>
        Failure(HttpStatusCode.NotFound, "NotFound", $"{resource} \"{name}\" not found", resource, name);

    public static (int Code, JsonObject Body) AlreadyExists(string resource, string name, bool beingDeleted = false) =>
        Failure(HttpStatusCode.Conflict, "AlreadyExists", $"{(beingDeleted ? "object is being deleted: " : "")}{resource} \"{name}\" already exists", resource, name);

    /// <summary>An update against a stale resourceVersion, or a delete whose precondition does not hold.</summary>
    public static (int Code, JsonObject Body) Conflict(string resource, string name, string why) =>
        Failure(HttpStatusCode.Conflict, "Conflict", $"Operation cannot be fulfilled on {resource} \"{name}\": {why}", resource, name);

    /// <summary>The ResourceQuota admission plugin's refusal.</summary>
    public static (int Code, JsonObject Body) QuotaExceeded(string resource, string name, string quota, string requested, string used, string limited) =>
        Failure(HttpStatusCode.Forbidden, "Forbidden",
            $"{resource} \"{name}\" is forbidden: exceeded quota: {quota}, requested: {requested}, used: {used}, limited: {limited}", resource, name);

    /// <summary>The NamespaceLifecycle admission plugin's refusal of new objects in a namespace being deleted.</summary>
    public static (int Code, JsonObject Body) NamespaceTerminating(string resource, string name, string ns)
    {
        var (code, body) = Failure(HttpStatusCode.Forbidden, "Forbidden",
            $"{resource} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated", resource, name);
        body["details"]!["causes"] = new JsonArray(new JsonObject
        {
            ["reason"] = "NamespaceTerminating",
            ["message"] = $"namespace {ns} is being terminated",
            ["field"] = "metadata.namespace",
        });
        return (code, body);
    }

    public static (int Code, JsonObject Body) Gone(string message) => Failure(HttpStatusCode.Gone, "Expired", message, null, null);

    public static (int Code, JsonObject Body) Failure(HttpStatusCode code, string reason, string message, string? resource = null, string? name = null)
    {
        var body = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (resource is not null || name is not null)
        {
            var details = new JsonObject();
            if (name is not null)
            {
                details["name"] = name;
            }

            if (resource is not null)
            {
                details["kind"] = resource;
            }

            body["details"] = details;
        }

        body["code"] = (int)code;
        return ((int)code, body);
    }
}
