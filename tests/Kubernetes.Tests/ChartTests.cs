using System.Text;
using System.Text.Json.Nodes;
using Json.Schema;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Kubernetes.Tests.Infrastructure;
using UFBrowsers.Silo.Hosting;
using UFBrowsers.Silo.Kubernetes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace UFBrowsers.Kubernetes.Tests;

/// <summary>
/// The chart as a real helm (v3.8.1, extracted from a NuGet package by <see cref="Helm"/>) lints and renders it, with the
/// default values and with every option set; what it renders is parsed into KubernetesClient's models.
/// </summary>
public sealed class ChartTests
{
    private static readonly string AllOptions = Path.Combine(AppContext.BaseDirectory, "Chart", "all-options.values.yaml");

    public static TheoryData<string?> ValueFiles() => new([null, AllOptions]);

    [Theory]
    [MemberData(nameof(ValueFiles))]
    public void Helm_lint_passes(string? values)
    {
        var lint = Helm.Lint(values);

        Assert.True(lint.ExitCode == 0, lint.Output + lint.Error);
        Assert.Contains("0 chart(s) failed", lint.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_values_render_every_object_of_a_cluster_install()
    {
        var chart = RenderedChart.Of();

        Assert.Equal(
            ["ClusterRole", "ClusterRoleBinding", "ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Namespace", "NetworkPolicy",
             "PodDisruptionBudget", "Service", "ServiceAccount", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"],
            chart.Objects.Select(o => o.Kind).Order(StringComparer.Ordinal));
        Assert.Equal("ufb-pool", chart.Single<V1Namespace>().Metadata.Name);
        Assert.Equal("ufbrowsers", chart.Deployment.Metadata.Name);
    }

    [Fact]
    public void All_options_render_the_ingress_with_both_hosts_and_the_release_settings()
    {
        var chart = RenderedChart.Of(AllOptions);

        var ingress = chart.Single<V1Ingress>();
        Assert.Equal(["api.example.com", "connect.example.com"], ingress.Spec.Rules.Select(r => r.Host));
        Assert.Equal("nginx", ingress.Spec.IngressClassName);
        Assert.Equal("prod-eu", chart.Deployment.Spec.Template.Metadata.Labels["orleans/clusterId"]);
        Assert.Equal((3, 10), (chart.Single<V2HorizontalPodAutoscaler>().Spec.MinReplicas, chart.Single<V2HorizontalPodAutoscaler>().Spec.MaxReplicas));
        Assert.Equal("registry-credentials", chart.Deployment.Spec.Template.Spec.ImagePullSecrets.Single().Name);
        Assert.Equal("ufbrowsers-silo", chart.Deployment.Spec.Template.Spec.ServiceAccountName);
    }

    [Theory]
    [MemberData(nameof(ValueFiles))]
    public void Every_UFBrowsers_setting_the_chart_sets_is_read_by_an_options_class(string? values)
    {
        var chart = RenderedChart.Of(values);
        var keys = chart.Environment.Keys
            .Where(name => name.StartsWith("UFBrowsers__", StringComparison.Ordinal))
            .Select(name => KeyValuePair.Create(name.Replace("__", ":", StringComparison.Ordinal), (string?)"set"))
            .Concat(new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(chart.MountedSettings))).Build()
                .AsEnumerable().Where(e => e.Value is not null))
            .ToList();

        Assert.Contains("UFBrowsers:Postgres:ConnectionString", keys.Select(k => k.Key));
        Assert.Contains("UFBrowsers:Kubernetes:Owner", keys.Select(k => k.Key));
        Assert.Empty(keys.Select(k => OptionsCatalog.WhyUnbound(k.Key, k.Value)).OfType<string>());
    }

    [Fact]
    public void The_catalog_refuses_a_setting_no_option_reads()
    {
        Assert.NotNull(OptionsCatalog.WhyUnbound("UFBrowsers:Stripe:ApiKey"));
        Assert.NotNull(OptionsCatalog.WhyUnbound("UFBrowsers:Nothing:Here"));
        Assert.NotNull(OptionsCatalog.WhyUnbound("UFBrowsers:Kubernetes:Pods:NodePools:gpu"));
        Assert.Null(OptionsCatalog.WhyUnbound("UFBrowsers:Stripe:SecretKey"));
        Assert.Null(OptionsCatalog.WhyUnbound("UFBrowsers:Kubernetes:Pods:NodePools:gpu:Tolerations:0:Key"));
    }

    [Fact]
    public void Secrets_for_the_signing_key_stripe_postgresql_and_the_operator_come_from_the_named_secrets()
    {
        var env = RenderedChart.Of(AllOptions).Environment;

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["UFBrowsers__Gateway__SigningKey"] = "gateway/key",
                ["UFBrowsers__Stripe__SecretKey"] = "stripe/sk",
                ["UFBrowsers__Stripe__WebhookSecret"] = "stripe/whsec",
                ["UFBrowsers__Postgres__ConnectionString"] = "pg/cs",
                ["UFBrowsers__Operator__Token"] = "operator/token",
                ["UFBrowsers__Profiles__EncryptionKeys__k1"] = "profiles-old/key",
                ["UFBrowsers__Profiles__EncryptionKeys__k2"] = "profiles/key",
            },
            env.Values.Where(e => e.ValueFrom?.SecretKeyRef is not null)
                .ToDictionary(e => e.Name, e => $"{e.ValueFrom.SecretKeyRef.Name}/{e.ValueFrom.SecretKeyRef.Key}"));
        Assert.DoesNotContain(env.Values, e => e.Name.Contains("Secret", StringComparison.Ordinal) && e.Value is not null);
    }

    [Fact]
    public void Without_stripe_enabled_no_stripe_secret_is_read()
    {
        var env = RenderedChart.Of().Environment;

        Assert.DoesNotContain(env.Keys, k => k.StartsWith("UFBrowsers__Stripe", StringComparison.Ordinal));
        Assert.Equal("ufbrowsers-gateway", env["UFBrowsers__Gateway__SigningKey"].ValueFrom.SecretKeyRef.Name);
    }

    [Theory]
    [InlineData("autoscaling.enabled=true")]
    [InlineData("autoscaling.enabled=false,replicaCount=2")]
    public void Several_replicas_without_a_shared_signing_key_fail_to_render_with_a_clear_message(string scaling)
    {
        var result = Helm.Template(null, "gateway.signingKey.existingSecret=", scaling);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("gateway.signingKey.existingSecret is empty", result.Error, StringComparison.Ordinal);
        Assert.Contains("refused by the others", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void One_replica_may_run_without_a_signing_key()
    {
        var chart = RenderedChart.Of(null, "gateway.signingKey.existingSecret=", "autoscaling.enabled=false", "replicaCount=1");

        Assert.Equal(1, chart.Deployment.Spec.Replicas);
        Assert.DoesNotContain("UFBrowsers__Gateway__SigningKey", chart.Environment.Keys);
    }

    [Theory]
    [MemberData(nameof(ValueFiles))]
    public void The_values_validate_against_values_schema_json(string? values)
    {
        var result = Schema().Evaluate(Element(Values(values ?? Path.Combine(Helm.ChartDirectory, "values.yaml"))), new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Theory]
    [InlineData("storage", "Disk")]
    [InlineData("browsers.cdpPort", "0")]
    [InlineData("browsers.poolNamespace", "Pool_Namespace")]
    [InlineData("stripe.apiKeyKey", "api-key")]
    public void Values_the_schema_refuses_are_refused_by_helm_too(string path, string value)
    {
        var values = Values(Path.Combine(Helm.ChartDirectory, "values.yaml"));
        var parent = values;
        var keys = path.Split('.');
        foreach (var key in keys[..^1])
        {
            parent = parent[key]!.AsObject();
        }

        parent[keys[^1]] = int.TryParse(value, out var number) ? number : value;

        Assert.False(Schema().Evaluate(Element(values)).IsValid);
        var rendered = Helm.Template(null, $"{path}={value}");
        Assert.NotEqual(0, rendered.ExitCode);
        Assert.Contains("values don't meet the specifications of the schema", rendered.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cluster_role_grants_exactly_what_the_adapters_call()
    {
        var role = RenderedChart.Of().Single<V1ClusterRole>();

        var rules = role.Rules
            .SelectMany(rule => rule.Resources.Select(resource => $"{rule.ApiGroups.Single()}/{resource}: {string.Join(",", rule.Verbs)}"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(
            [
                "/limitranges: get,create,update",
                "/namespaces: get,create,update,delete",
                "/pods: get,list,watch,create,patch,delete",
                "/resourcequotas: get,create,update",
                "networking.k8s.io/networkpolicies: get,create,update",
            ],
            rules);
    }

    [Theory]
    [MemberData(nameof(ValueFiles))]
    public void The_mounted_settings_bind_to_the_adapters_options(string? values)
    {
        var chart = RenderedChart.Of(values);
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(chart.MountedSettings))).Build();

        var silo = configuration.GetSection(SiloOptions.Section).Get<SiloOptions>()!;
        Assert.Equal(("Kubernetes", "Kubernetes", "Postgres"), (silo.PodProvider, silo.TenantProvisioner, silo.Storage));
        var tenants = configuration.GetSection(KubernetesTenantOptions.Section).Get<KubernetesTenantOptions>()!;
        Assert.Equal("ufbrowsers", tenants.GatewayNamespace);
        Assert.Equal("ufbrowsers", tenants.EffectiveGatewayPodLabels()["app.kubernetes.io/name"]);
        Assert.Contains("169.254.169.254/32", tenants.EffectiveBlockedCidrs());
        var kubernetes = configuration.GetSection(KubernetesOptions.Section).Get<KubernetesOptions>()!;
        Assert.Equal("ufbrowsers.ufbrowsers", kubernetes.Owner);
        var pods = configuration.GetSection(KubernetesPodOptions.Section).Get<KubernetesPodOptions>()!;
        Assert.Equal("ufb-pool", pods.Namespace);
        Assert.Equal(1024, pods.Resources.MemoryRequestMebibytes);
        var pools = configuration.GetSection(PodPoolOptions.Section).Get<PodPoolOptions>()!;
        Assert.True(pools.NodePools["default"].WarmTarget > 0);
        if (values is null)
        {
            Assert.Equal("ufbrowsers/browser:0.1.0", pods.Image);
            Assert.Null(pods.RuntimeClassName);
        }
        else
        {
            Assert.Equal("registry.example.com/team/ufbrowsers/browser:1.2.3", pods.Image);
            Assert.Equal("gvisor", pods.RuntimeClassName);
            Assert.Equal("browsers", pods.Pool("default").NodeSelector["pool"]);
            Assert.Equal(("dedicated", "NoSchedule"), (pods.Pool("default").Tolerations[0].Key, pods.Pool("default").Tolerations[0].Effect));
            Assert.Equal(0, pools.NodePools["burst"].WarmTarget);
            Assert.Equal("registry.example.com/team/ufbrowsers/browser-chromium:1.2.3-full", pods.Pool("desktop").Image);
            Assert.Null(pods.Pool("default").Image);
            Assert.Equal("price_1QprofessionalMonthly", configuration["UFBrowsers:Billing:Plans:professional:StripePriceId"]);
        }
    }

    [Fact]
    public void The_default_images_are_the_ones_the_dockerfiles_build()
    {
        var chart = RenderedChart.Of();
        var pods = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(chart.MountedSettings))).Build()
            .GetSection(KubernetesPodOptions.Section).Get<KubernetesPodOptions>()!;
        var appVersion = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(File.ReadAllText(Path.Combine(Helm.ChartDirectory, "Chart.yaml")))["appVersion"];

        foreach (var image in new[] { chart.Silo.Image, pods.Image })
        {
            var (repository, tag) = (image[..image.LastIndexOf(':')], image[(image.LastIndexOf(':') + 1)..]);
            Assert.Equal(appVersion, tag);
            Assert.StartsWith("ufbrowsers/", repository, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "docker", repository["ufbrowsers/".Length..] + ".Dockerfile")), $"no Dockerfile builds {repository}");
        }
    }

    [Theory]
    [MemberData(nameof(ValueFiles))]
    public void The_control_plane_runs_non_root_on_a_read_only_root_filesystem_with_a_writable_tmp(string? values)
    {
        var chart = RenderedChart.Of(values);
        var pod = chart.Deployment.Spec.Template.Spec;

        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal(1654, pod.SecurityContext.RunAsUser);
        Assert.True(chart.Silo.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(chart.Silo.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], chart.Silo.SecurityContext.Capabilities.Drop);
        var tmp = chart.Silo.VolumeMounts.Single(m => m.MountPath == "/tmp");
        Assert.NotNull(pod.Volumes.Single(v => v.Name == tmp.Name).EmptyDir);
    }

    [Fact]
    public void Probes_separate_liveness_readiness_and_startup()
    {
        var silo = RenderedChart.Of().Silo;

        Assert.Equal("/health/live", silo.LivenessProbe.HttpGet.Path);
        Assert.Equal("/health/ready", silo.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/health/startup", silo.StartupProbe.HttpGet.Path);
    }

    [Fact]
    public void The_pool_namespace_carries_the_ownership_label_and_the_restricted_pod_security_standard()
    {
        var ns = RenderedChart.Of().Single<V1Namespace>();

        Assert.Equal("ufbrowsers.ufbrowsers", ns.Metadata.Labels["ufbrowsers.io/owner"]);
        Assert.Equal("restricted", ns.Metadata.Labels["pod-security.kubernetes.io/enforce"]);
    }

    private static System.Text.Json.JsonElement Element(JsonObject json) => System.Text.Json.JsonDocument.Parse(json.ToJsonString()).RootElement;

    private static readonly Lazy<JsonSchema> s_schema = new(() =>
        JsonSchema.FromFile(Path.Combine(Helm.ChartDirectory, "values.schema.json"), new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    private static JsonSchema Schema() => s_schema.Value;

    /// <summary>YAML values as JSON, typed as helm's YAML reader types them: plain scalars may be numbers or booleans, quoted ones are strings.</summary>
    private static JsonObject Values(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return Json(stream.Documents.Single().RootNode)!.AsObject();
    }

    private static JsonNode? Json(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, Json(c.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(Json).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } b => JsonValue.Create(b.Value == "true"),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "null" or "~" or "" } => null,
        YamlScalarNode { Style: ScalarStyle.Plain } n when long.TryParse(n.Value, out var number) => JsonValue.Create(number),
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => throw new NotSupportedException(node.GetType().Name),
    };
}
