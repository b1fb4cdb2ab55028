using System.Text;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using UFBrowsers.Kubernetes.Tests.Infrastructure;

namespace UFBrowsers.Kubernetes.Tests;

/// <summary>What the chart sets up for session files and profiles: the file port fenced like DevTools, the profile keys from Secrets.</summary>
public sealed class ChartFilesTests
{
    [Fact]
    public void The_pool_namespace_admits_only_the_control_plane_and_only_to_the_devtools_and_file_ports()
    {
        var chart = RenderedChart.Of();

        var ingress = chart.Single<V1NetworkPolicy>().Spec.Ingress.Single();
        Assert.Equal(["9222", "9224"], ingress.Ports.Select(p => p.Port.Value));
        Assert.Equal("ufbrowsers", ingress.FromProperty.Single().NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
        var settings = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(chart.MountedSettings))).Build();
        Assert.Equal("9224", settings["UFBrowsers:Kubernetes:Pods:FilesPort"]);
        Assert.Equal("9224", settings["UFBrowsers:Kubernetes:Tenants:FilesPort"]);
    }

    [Fact]
    public void Profile_keys_come_from_their_secrets_and_the_active_key_is_named()
    {
        var env = RenderedChart.Of().Environment;

        Assert.Equal(("ufbrowsers-profiles", "k1"), (env["UFBrowsers__Profiles__EncryptionKeys__k1"].ValueFrom.SecretKeyRef.Name, env["UFBrowsers__Profiles__EncryptionKeys__k1"].ValueFrom.SecretKeyRef.Key));
        Assert.Null(env["UFBrowsers__Profiles__EncryptionKeys__k1"].Value);
        Assert.Equal("k1", env["UFBrowsers__Profiles__ActiveEncryptionKeyId"].Value);
    }
}
