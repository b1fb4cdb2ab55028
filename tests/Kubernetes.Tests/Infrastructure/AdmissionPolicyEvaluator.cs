using System.Text.Json.Nodes;
using Cel;
using k8s;
using k8s.Models;

namespace UFBrowsers.Kubernetes.Tests.Infrastructure;

/// <summary>
/// Evaluates a ValidatingAdmissionPolicy as the API server does for one request: the match constraints (resource and
/// operation), then every match condition, then the variables in order, then each validation, whose first false result
/// denies with its message. The CEL expressions run on the Cel NuGet package (a .NET implementation of the CEL
/// specification), with objects as CEL maps built from their JSON. Kubernetes' own CEL libraries (quantity, IP, authorizer)
/// are not available; the chart's policy uses none of them.
/// </summary>
public sealed class AdmissionPolicyEvaluator(V1ValidatingAdmissionPolicy policy)
{
    private readonly CelEnvironment _cel = new(null, null);

    public AdmissionDecision Evaluate(AdmissionRequest request)
    {
        var rule = policy.Spec.MatchConstraints.ResourceRules.FirstOrDefault(r =>
            r.ApiGroups.Contains(request.Group) && r.Resources.Contains(request.Resource) && r.Operations.Contains(request.Operation));
        if (rule is null)
        {
            return AdmissionDecision.NotMatched;
        }

        var activation = new Dictionary<string, object?>
        {
            ["object"] = Cel(request.Object),
            ["oldObject"] = Cel(request.OldObject),
            ["namespaceObject"] = Cel(request.NamespaceObject),
            ["params"] = null,
            ["request"] = new Dictionary<string, object?>
            {
                ["operation"] = request.Operation,
                ["name"] = request.Name,
                ["namespace"] = request.Namespace ?? "",
                ["subResource"] = "",
                ["resource"] = new Dictionary<string, object?> { ["group"] = request.Group, ["version"] = "v1", ["resource"] = request.Resource },
                ["userInfo"] = new Dictionary<string, object?> { ["username"] = request.User },
            },
        };

        if (policy.Spec.MatchConditions?.Any(c => !(bool)Run(c.Expression, activation)!) == true)
        {
            return AdmissionDecision.NotMatched;
        }

        var variables = new Dictionary<string, object?>();
        activation["variables"] = variables;
        foreach (var variable in policy.Spec.Variables ?? [])
        {
            variables[variable.Name] = Run(variable.Expression, activation);
        }

        foreach (var validation in policy.Spec.Validations)
        {
            if (Run(validation.Expression, activation) is not true)
            {
                return AdmissionDecision.Denied(validation.Message);
            }
        }

        return AdmissionDecision.Allowed;
    }

    private object? Run(string expression, Dictionary<string, object?> activation) => _cel.Compile(expression).Invoke(activation);

    /// <summary>A Kubernetes object as CEL sees it: its JSON as maps, lists and scalars.</summary>
    private static object? Cel(IKubernetesObject? obj) => obj is null ? null : Cel(JsonNode.Parse(KubernetesJson.Serialize(obj)));

    private static object? Cel(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => Cel(p.Value)),
        JsonArray a => a.Select(Cel).ToList(),
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v => v.GetValue<string>(),
        _ => throw new NotSupportedException(node.GetType().Name),
    };
}

public sealed record AdmissionRequest(
    string User,
    string Operation,
    string Resource,
    string? Namespace,
    string Name,
    IKubernetesObject? Object,
    IKubernetesObject? OldObject = null,
    V1Namespace? NamespaceObject = null,
    string Group = "");

public sealed record AdmissionDecision(bool Matched, bool Allow, string? Message)
{
    public static AdmissionDecision NotMatched { get; } = new(false, true, null);

    public static AdmissionDecision Allowed { get; } = new(true, true, null);

    public static AdmissionDecision Denied(string message) => new(true, false, message);
}
