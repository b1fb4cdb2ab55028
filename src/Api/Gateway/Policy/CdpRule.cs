namespace UFBrowsers.Api.Gateway.Policy;

/// <summary>What the gateway does with one CDP method.</summary>
public sealed record CdpRule(CdpRuleKind Kind, string? Reason = null)
{
    public static readonly CdpRule Relay = new(CdpRuleKind.Relay);

    public static readonly CdpRule ConfineDownloads = new(CdpRuleKind.ConfineDownloads);

    public static readonly CdpRule EndSession = new(CdpRuleKind.EndSession);

    public static CdpRule Refuse(string reason) => new(CdpRuleKind.Refuse, reason);
}

public enum CdpRuleKind
{
    /// <summary>Passes to the browser as it is.</summary>
    Relay,

    /// <summary>Its <c>downloadPath</c> is replaced by the session's downloads directory (refused when the pod has none).</summary>
    ConfineDownloads,

    /// <summary>Answered by the gateway, which then ends the session (<c>Browser.close</c>).</summary>
    EndSession,

    /// <summary>Answered with a CDP error by the gateway; never reaches the browser.</summary>
    Refuse,
}
