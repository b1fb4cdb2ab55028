namespace UFBrowsers.Kubernetes.Tests.Infrastructure;

/// <summary>The Kubernetes label selector syntax: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k</c>, <c>!k</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>.</summary>
public sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _requirements = [];

    public LabelSelector(string? selector)
    {
        foreach (var requirement in Split(selector ?? ""))
        {
            _requirements.Add(Parse(requirement.Trim()));
        }
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(r => r(labels));

    private static IEnumerable<string> Split(string selector)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            depth += selector[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (selector[i] == ',' && depth == 0)
            {
                yield return selector[start..i];
                start = i + 1;
            }
        }

        if (selector[start..].Trim().Length > 0)
        {
            yield return selector[start..];
        }
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> Parse(string r)
    {
        if (SetOperation(r, " notin ") is { } notIn)
        {
            return labels => !labels.TryGetValue(notIn.Key, out var v) || !notIn.Values.Contains(v);
        }

        if (SetOperation(r, " in ") is { } @in)
        {
            return labels => labels.TryGetValue(@in.Key, out var v) && @in.Values.Contains(v);
        }

        if (r.Contains("!=", StringComparison.Ordinal))
        {
            var (k, v) = Pair(r, "!=");
            return labels => !labels.TryGetValue(k, out var actual) || actual != v;
        }

        if (r.Contains("==", StringComparison.Ordinal) || r.Contains('=', StringComparison.Ordinal))
        {
            var (k, v) = Pair(r, r.Contains("==", StringComparison.Ordinal) ? "==" : "=");
            return labels => labels.TryGetValue(k, out var actual) && actual == v;
        }

        return r.StartsWith('!') ? labels => !labels.ContainsKey(r[1..].Trim()) : labels => labels.ContainsKey(r);
    }

    private static (string Key, string Value) Pair(string r, string op)
    {
        var at = r.IndexOf(op, StringComparison.Ordinal);
        return (r[..at].Trim(), r[(at + op.Length)..].Trim());
    }

    private static (string Key, HashSet<string> Values)? SetOperation(string r, string op)
    {
        var at = r.IndexOf(op, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var values = r[(at + op.Length)..].Trim().TrimStart('(').TrimEnd(')').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return (r[..at].Trim(), values.ToHashSet(StringComparer.Ordinal));
    }
}
