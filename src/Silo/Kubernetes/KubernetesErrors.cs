using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace UFBrowsers.Silo.Kubernetes;

/// <summary>Reads the API server's <c>Status</c> answers: what failed, and why (reason, details, causes).</summary>
internal static class KubernetesErrors
{
    /// <summary>The admission plugin's cause when a namespace being deleted refuses new objects.</summary>
    public const string NamespaceTerminatingCause = "NamespaceTerminating";

    public static bool IsNotFound(this HttpOperationException ex) => ex.Response?.StatusCode == HttpStatusCode.NotFound;

    public static bool IsConflict(this HttpOperationException ex) => ex.Response?.StatusCode == HttpStatusCode.Conflict;

    /// <summary>403 from the ResourceQuota admission plugin: <c>… is forbidden: exceeded quota: …</c>.</summary>
    public static bool IsQuotaExceeded(this HttpOperationException ex) =>
        ex.Response?.StatusCode == HttpStatusCode.Forbidden && Status(ex)?.Message?.Contains("exceeded quota", StringComparison.Ordinal) == true;

    /// <summary>403 because the namespace is being deleted (cause <c>NamespaceTerminating</c>).</summary>
    public static bool IsNamespaceTerminating(this HttpOperationException ex) =>
        ex.Response?.StatusCode == HttpStatusCode.Forbidden
        && Status(ex)?.Details?.Causes?.Any(c => c.Reason == NamespaceTerminatingCause) == true;

    /// <summary>The API server's message, else the HTTP status.</summary>
    public static string Describe(this HttpOperationException ex) =>
        Status(ex)?.Message ?? $"{(int?)ex.Response?.StatusCode} {ex.Response?.ReasonPhrase}";

    private static V1Status? Status(HttpOperationException ex)
    {
        if (string.IsNullOrEmpty(ex.Response?.Content))
        {
            return null;
        }

        try
        {
            return KubernetesJson.Deserialize<V1Status>(ex.Response.Content);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
