using UFBrowsers.Customers;
using UFBrowsers.Tenants;

namespace UFBrowsers.Grains.Tenants;

[GenerateSerializer, Alias("ufb.TenantState")]
public sealed class TenantState
{
    [Id(0)]
    public TenantGoal Goal { get; set; }

    [Id(1)]
    public Plan? Plan { get; set; }

    /// <summary>Bumped by every new goal or plan, so a customer notification can be matched to what it reports.</summary>
    [Id(2)]
    public long Generation { get; set; }

    [Id(3)]
    public bool Done { get; set; }

    [Id(4)]
    public bool Provisioned { get; set; }

    /// <summary>Attempts at the current goal.</summary>
    [Id(5)]
    public int Attempts { get; set; }

    [Id(6)]
    public string? LastError { get; set; }

    [Id(7)]
    public DateTimeOffset? NextAttemptAt { get; set; }

    [Id(8)]
    public bool ReminderRegistered { get; set; }
}
