using System.Text.RegularExpressions;
using UFBrowsers.Grains.Customers;

namespace UFBrowsers.Kubernetes.Tests;

public sealed partial class TenantNamespaceTests
{
    [Theory]
    [InlineData("acme_1", "acme-1")]
    [InlineData("acme_", "acme")]
    [InlineData("Acme", "acme")]
    [InlineData("a.b", "a-b")]
    [InlineData("cus__x", "cus-x")]
    public void Ids_that_read_alike_get_different_namespaces(string one, string other)
    {
        Assert.NotEqual(TenantNamespace.For(one), TenantNamespace.For(other));
    }

    [Theory]
    [InlineData("acme_1")]
    [InlineData("___")]
    [InlineData("Ünïcødé-кириллица-客户")]
    [InlineData("-leading-and-trailing-")]
    [InlineData("a-customer-id-that-is-much-longer-than-a-kubernetes-label-may-be-at-all-0123456789")]
    [InlineData("x")]
    public void Every_name_is_an_rfc_1123_label_with_the_prefix_and_a_readable_part(string customerId)
    {
        var name = TenantNamespace.For(customerId);

        Assert.Matches(Rfc1123(), name);
        Assert.True(name.Length <= 63, name);
        Assert.StartsWith(TenantNamespace.Prefix, name, StringComparison.Ordinal);
        Assert.Equal(name, TenantNamespace.For(customerId));
    }

    [Fact]
    public void The_readable_part_is_the_id_made_dns_safe()
    {
        Assert.Matches("^ufb-t-acme-1-[a-z2-7]{12}$", TenantNamespace.For("acme_1"));
        Assert.Matches("^ufb-t-[a-z2-7]{12}$", TenantNamespace.For("___"));
    }

    [Fact]
    public void Ten_thousand_similar_ids_never_share_a_namespace()
    {
        var ids = Enumerable.Range(0, 10_000).SelectMany(i => new[] { $"cus_{i}", $"cus-{i}", $"CUS_{i}" }).ToList();

        Assert.Equal(ids.Count, ids.Select(TenantNamespace.For).Distinct(StringComparer.Ordinal).Count());
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Rfc1123();
}
