using k8s;
using Microsoft.Extensions.Configuration;
using k8s.Models;

namespace UFBrowsers.Kubernetes.Tests.Infrastructure;

/// <summary>What <c>helm template</c> printed, parsed into KubernetesClient's models.</summary>
public sealed class RenderedChart
{
    private RenderedChart(IReadOnlyList<IKubernetesObject> objects) => Objects = objects;

    public IReadOnlyList<IKubernetesObject> Objects { get; }

    public static RenderedChart Of(string? valuesFile = null, params string[] sets) =>
        Parse(Helm.Template(valuesFile, sets).EnsureSuccess());

    public static RenderedChart Parse(string yaml) =>
        new(KubernetesYaml.LoadAllFromString(yaml, strict: true).Cast<IKubernetesObject>().ToList());

    public T Single<T>() where T : IKubernetesObject => Objects.OfType<T>().Single();

    public V1Deployment Deployment => Single<V1Deployment>();

    public V1Container Silo => Deployment.Spec.Template.Spec.Containers.Single(c => c.Name == "silo");

    public IReadOnlyDictionary<string, V1EnvVar> Environment => Silo.Env.ToDictionary(e => e.Name, StringComparer.Ordinal);

    /// <summary>The appsettings.Production.json the chart mounts.</summary>
    public string MountedSettings => Single<V1ConfigMap>().Data["appsettings.Production.json"];

    public string? MountedSettingsValue(string key) =>
        new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(MountedSettings))).Build()[key];
}
