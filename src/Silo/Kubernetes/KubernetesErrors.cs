using System.Net;
using k8s.Autorest;

namespace UFBrowsers.Silo.Kubernetes;

internal static class KubernetesErrors
{
    public static bool IsNotFound(this HttpOperationException ex) => ex.Response?.StatusCode == HttpStatusCode.NotFound;

    public static bool IsConflict(this HttpOperationException ex) => ex.Response?.StatusCode == HttpStatusCode.Conflict;
}
