namespace UFBrowsers.Grains.Customers;

/// <summary>The Kubernetes namespace of a tenant: <c>ufb-t-</c> plus the customer id made DNS-safe.</summary>
public static class TenantNamespace
{
    public static string For(string customerId)
    {
        var safe = new string(customerId.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        var name = "ufb-t-" + safe;
        return name.Length <= 63 ? name : name[..63].TrimEnd('-');
    }
}
