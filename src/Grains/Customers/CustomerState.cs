using UFBrowsers.Customers;

namespace UFBrowsers.Grains.Customers;

[GenerateSerializer, Alias("ufb.CustomerState")]
public sealed class CustomerState
{
    [Id(0)]
    public DateTimeOffset? CreatedAt { get; set; }

    [Id(1)]
    public string Name { get; set; } = "";

    [Id(2)]
    public string Plan { get; set; } = "";

    [Id(3)]
    public SubscriptionStatus Status { get; set; }

    [Id(4)]
    public bool TenantProvisioned { get; set; }

    /// <summary>Running sessions and what each has paid so far (hold plus minutes).</summary>
    [Id(6)]
    public Dictionary<string, long> ActiveSessions { get; set; } = new(StringComparer.Ordinal);

    [Id(7)]
    public SessionIndex Sessions { get; set; } = new();

    public bool Exists => CreatedAt.HasValue;
}
