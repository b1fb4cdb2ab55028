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

    // Ids 6 and 7 held the active sessions and the session index, now in the ledger store: do not reuse them.

    public bool Exists => CreatedAt.HasValue;
}
