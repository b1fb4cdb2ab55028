using System.Text;

namespace UFBrowsers.Silo.Kubernetes;

/// <summary>The labels UFBrowsers puts on what it creates, and how a value is made acceptable as a label value.</summary>
public static class KubernetesLabels
{
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "ufbrowsers";
    public const string Component = "app.kubernetes.io/component";
    public const string BrowserComponent = "browser";
    public const string Tenant = "ufbrowsers.io/tenant";
    public const string Plan = "ufbrowsers.io/plan";
    public const string Pool = "ufbrowsers.io/pool";
    public const string Session = "ufbrowsers.io/session";
    public const string CustomerIdAnnotation = "ufbrowsers.io/customer-id";

    /// <summary>
    /// Which installation made the object (label, as <see cref="KubernetesOptions.Owner"/> made a label value, and annotation,
    /// in full). Nothing without it is adopted, changed or deleted, and the chart's admission policy enforces the same.
    /// </summary>
    public const string Owner = "ufbrowsers.io/owner";

    /// <summary>Selects every browser pod this installation made, warm or assigned, in any namespace.</summary>
    public static string BrowserPodSelector(string owner) =>
        $"{ManagedBy}={ManagedByValue},{Component}={BrowserComponent},{Owner}={Value(owner)}";

    /// <summary>At most 63 characters of <c>[A-Za-z0-9._-]</c>, starting and ending with a letter or digit.</summary>
    public static string Value(string text)
    {
        var value = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            value.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-');
        }

        var result = value.ToString();
        if (result.Length > 63)
        {
            result = result[..63];
        }

        return result.Trim('-', '_', '.');
    }
}
