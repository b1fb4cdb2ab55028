using UFBrowsers.Billing;

namespace UFBrowsers.Grains.Billing.Payments;

[GenerateSerializer, Alias("ufb.StripeEventInboxState")]
public sealed class StripeEventInboxState
{
    [Id(0)]
    public DateTimeOffset? ReceivedAt { get; set; }

    [Id(1)]
    public StripeEventKind Kind { get; set; }

    /// <summary>How many times the event arrived, replays included.</summary>
    [Id(2)]
    public int Deliveries { get; set; }

    /// <summary>Set only once the event was applied successfully; until then every delivery tries again.</summary>
    [Id(3)]
    public DateTimeOffset? AppliedAt { get; set; }

    [Id(4)]
    public StripeEventResult? Result { get; set; }
}
