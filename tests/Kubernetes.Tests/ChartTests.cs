using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Silo.Hosting;
using UFBrowsers.Silo.Kubernetes;
using YamlDotNet.RepresentationModel;

namespace UFBrowsers.Kubernetes.Tests;

/// <summary>
/// There is no helm binary here, so the chart is checked in three parts: (1) every template is well-formed Go-template
/// text (balanced actions, every block closed) and names only values that values.yaml and the all-options file define;
/// (2) hand-rendered equivalents of <c>helm template</c> for the default values and for every option on parse as YAML,
/// hold one document of each kind the templates produce, and carry the expected RBAC; (3) the settings the chart mounts
/// bind to the adapters' options classes. What is not checked: that the hand-rendered files are what helm would print.
/// </summary>
public sealed partial class ChartTests
{
    private static readonly string Chart = Path.Combine(AppContext.BaseDirectory, "helm");
    private static readonly string Rendered = Path.Combine(AppContext.BaseDirectory, "Chart");

    public static TheoryData<string> Templates() =>
        new(Directory.GetFiles(Path.Combine(Chart, "templates")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Templates))]
    public void Every_template_is_well_formed(string template)
    {
        var text = File.ReadAllText(Path.Combine(Chart, "templates", template));
        var actions = Action().Matches(text);
        Assert.Equal(Regex.Count(text, @"\{\{"), actions.Count);
        Assert.Equal(Regex.Count(text, @"\}\}"), actions.Count);

        var open = new Stack<string>();
        foreach (Match action in actions)
        {
            var keyword = action.Groups["body"].Value.Trim().Trim('-').Trim().Split(' ', 2)[0];
            if (keyword is "if" or "range" or "with" or "define")
            {
                open.Push(keyword);
            }
            else if (keyword == "end")
            {
                Assert.True(open.Count > 0, $"{template}: 'end' without a block at {action.Index}");
                open.Pop();
            }
            else if (keyword is "else")
            {
                Assert.True(open.Count > 0 && open.Peek() is "if" or "with" or "range", $"{template}: 'else' outside a block");
            }
        }

        Assert.Empty(open);
    }

    [Theory]
    [InlineData("values.yaml")]
    [InlineData("all-options.values.yaml")]
    public void Every_value_a_template_names_is_defined(string valuesFile)
    {
        var path = valuesFile == "values.yaml" ? Path.Combine(Chart, valuesFile) : Path.Combine(Rendered, valuesFile);
        var values = (YamlMappingNode)Load(path).Single().RootNode;
        var referenced = Directory.GetFiles(Path.Combine(Chart, "templates"))
            .SelectMany(f => ValuesReference().Matches(File.ReadAllText(f)).Select(m => m.Groups["path"].Value))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.NotEmpty(referenced);
        foreach (var reference in referenced)
        {
            YamlNode node = values;
            foreach (var key in reference.Split('.'))
            {
                Assert.True(node is YamlMappingNode map && map.Children.ContainsKey(new YamlScalarNode(key)), $".Values.{reference} is not in {valuesFile}");
                node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
            }
        }
    }

    [Fact]
    public void The_all_options_file_turns_every_switch_on()
    {
        var values = (YamlMappingNode)Load(Path.Combine(Rendered, "all-options.values.yaml")).Single().RootNode;
        foreach (var path in new[] { "ingress.enabled", "stripe.enabled", "autoscaling.enabled", "podDisruptionBudget.enabled", "serviceAccount.create", "browsers.createPoolNamespace" })
        {
            YamlNode node = values;
            foreach (var key in path.Split('.'))
            {
                node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
            }

            Assert.Equal("true", ((YamlScalarNode)node).Value);
        }
    }

    [Theory]
    [InlineData("default.rendered.yaml", false)]
    [InlineData("all-options.rendered.yaml", true)]
    public void The_rendered_chart_is_valid_yaml_with_one_object_per_template_kind(string file, bool allOptions)
    {
        var documents = Load(Path.Combine(Rendered, file)).Select(d => (YamlMappingNode)d.RootNode).ToList();

        foreach (var document in documents)
        {
            Assert.False(string.IsNullOrEmpty(Scalar(document, "apiVersion")));
            Assert.False(string.IsNullOrEmpty(Scalar(document, "metadata", "name")));
        }

        var kinds = documents.Select(d => Scalar(d, "kind")).Order(StringComparer.Ordinal).ToList();
        var expected = Directory.GetFiles(Path.Combine(Chart, "templates"), "*.yaml")
            .Where(f => allOptions || Path.GetFileName(f) != "ingress.yaml")
            .SelectMany(f => TemplateKind().Matches(File.ReadAllText(f)).Select(m => m.Groups["kind"].Value))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(expected, kinds);

        var deployment = documents.Single(d => Scalar(d, "kind") == "Deployment");
        var env = ((YamlSequenceNode)Node(deployment, "spec", "template", "spec", "containers", 0, "env")).Children.Cast<YamlMappingNode>()
            .ToDictionary(e => Scalar(e, "name"), e => e);
        Assert.Equal("status.podIP", Scalar(env["POD_IP"], "valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("metadata.name", Scalar(env["POD_NAME"], "valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal(allOptions, env.ContainsKey("UFBrowsers__Stripe__ApiKey"));
        Assert.Equal("/health/live", Scalar(deployment, "spec", "template", "spec", "containers", 0, "livenessProbe", "httpGet", "path"));
        Assert.Equal("/health/ready", Scalar(deployment, "spec", "template", "spec", "containers", 0, "readinessProbe", "httpGet", "path"));
        Assert.Equal(allOptions ? "prod-eu" : "ufbrowsers", Scalar(deployment, "spec", "template", "metadata", "labels", "orleans/clusterId"));
    }

    [Fact]
    public void The_cluster_role_grants_exactly_what_the_adapters_call()
    {
        var role = Load(Path.Combine(Rendered, "default.rendered.yaml")).Select(d => (YamlMappingNode)d.RootNode).Single(d => Scalar(d, "kind") == "ClusterRole");

        var rules = ((YamlSequenceNode)role.Children[new YamlScalarNode("rules")]).Children.Cast<YamlMappingNode>()
            .SelectMany(rule => Strings(rule, "resources").Select(resource =>
                $"{Strings(rule, "apiGroups").Single()}/{resource}: {string.Join(",", Strings(rule, "verbs"))}"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(
            [
                "/limitranges: get,create,update",
                "/namespaces: get,create,update,delete",
                "/pods: get,list,create,patch,delete",
                "/resourcequotas: get,create,update",
                "networking.k8s.io/networkpolicies: get,create,update",
            ],
            rules);
    }

    [Theory]
    [InlineData("default.rendered.yaml")]
    [InlineData("all-options.rendered.yaml")]
    public void The_mounted_settings_bind_to_the_adapters_options(string file)
    {
        var configMap = Load(Path.Combine(Rendered, file)).Select(d => (YamlMappingNode)d.RootNode).Single(d => Scalar(d, "kind") == "ConfigMap");
        var json = Scalar(configMap, "data", "appsettings.Production.json");
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

        var silo = configuration.GetSection(SiloOptions.Section).Get<SiloOptions>()!;
        Assert.Equal(("Kubernetes", "Kubernetes", "Postgres"), (silo.PodProvider, silo.TenantProvisioner, silo.Storage));
        var tenants = configuration.GetSection(KubernetesTenantOptions.Section).Get<KubernetesTenantOptions>()!;
        Assert.Equal("ufbrowsers", tenants.GatewayNamespace);
        Assert.Equal("ufbrowsers", tenants.EffectiveGatewayPodLabels()["app.kubernetes.io/name"]);
        Assert.Contains("169.254.169.254/32", tenants.EffectiveBlockedCidrs());
        var pods = configuration.GetSection(KubernetesPodOptions.Section).Get<KubernetesPodOptions>()!;
        Assert.Equal("ufb-pool", pods.Namespace);
        Assert.Equal(1024, pods.Resources.MemoryRequestMebibytes);
        var pools = configuration.GetSection(PodPoolOptions.Section).Get<PodPoolOptions>()!;
        Assert.True(pools.NodePools["default"].WarmTarget > 0);
        if (file.StartsWith("all-options", StringComparison.Ordinal))
        {
            Assert.Equal("browsers", pods.Pool("default").NodeSelector["pool"]);
            Assert.Equal(("dedicated", "NoSchedule"), (pods.Pool("default").Tolerations[0].Key, pods.Pool("default").Tolerations[0].Effect));
        }
    }

    private static IReadOnlyList<YamlDocument> Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return stream.Documents.ToList();
    }

    private static YamlNode Node(YamlNode node, params object[] path)
    {
        foreach (var step in path)
        {
            node = step is int index ? ((YamlSequenceNode)node).Children[index] : ((YamlMappingNode)node).Children[new YamlScalarNode((string)step)];
        }

        return node;
    }

    private static string Scalar(YamlNode node, params object[] path) => ((YamlScalarNode)Node(node, path)).Value ?? "";

    private static IEnumerable<string> Strings(YamlMappingNode node, string key) =>
        ((YamlSequenceNode)node.Children[new YamlScalarNode(key)]).Children.Select(c => ((YamlScalarNode)c).Value ?? "");

    [GeneratedRegex(@"\{\{(?<body>.*?)\}\}", RegexOptions.Singleline)]
    private static partial Regex Action();

    [GeneratedRegex(@"\.Values\.(?<path>[A-Za-z0-9_.]+[A-Za-z0-9_])")]
    private static partial Regex ValuesReference();

    [GeneratedRegex(@"^kind: (?<kind>\w+)", RegexOptions.Multiline)]
    private static partial Regex TemplateKind();
}
