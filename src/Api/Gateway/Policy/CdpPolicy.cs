using System.Collections.Frozen;

namespace UFBrowsers.Api.Gateway.Policy;

/// <summary>
/// Which client commands the gateway does not simply relay. Everything a page can do on the web is left to the
/// browser and, around it, to the pod's sandbox; what is policed here are commands whose purpose is to act on the
/// machine the browser runs on or on browsers other than the session's own: paths on that machine, ports on it,
/// DevTools connections out of it. README ("CDP policy at the gateway") gives the reasons for each.
/// </summary>
public static class CdpPolicy
{
    private static readonly FrozenDictionary<string, CdpRule> Rules = new Dictionary<string, CdpRule>(StringComparer.Ordinal)
    {
        ["Browser.setDownloadBehavior"] = CdpRule.ConfineDownloads,
        ["Page.setDownloadBehavior"] = CdpRule.ConfineDownloads,
        ["Browser.close"] = CdpRule.EndSession,
        ["Target.setRemoteLocations"] = CdpRule.Refuse("it makes the browser a DevTools client of other hosts and ports"),
        ["Target.exposeDevToolsProtocol"] = CdpRule.Refuse("it hands a page's scripts a DevTools connection to the browser that does not pass the gateway"),
        ["Tethering.bind"] = CdpRule.Refuse("it opens a listening port on the browser's machine"),
        ["Tethering.unbind"] = CdpRule.Refuse("it belongs to Tethering.bind, which is refused"),
        ["Extensions.loadUnpacked"] = CdpRule.Refuse("it loads code from a path on the browser's machine"),
        ["PWA.launchFilesInApp"] = CdpRule.Refuse("it opens files by their paths on the browser's machine"),
        ["Cast.startDesktopMirroring"] = CdpRule.Refuse("it streams the screen of the browser's machine, not the session's tab"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, CdpRule>.AlternateLookup<ReadOnlySpan<char>> RulesBySpan =
        Rules.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The rule for a method; <see cref="CdpRule.Relay"/> for every method not named here. Allocates nothing.</summary>
    public static CdpRule For(ReadOnlySpan<char> method) =>
        RulesBySpan.TryGetValue(method, out var rule) ? rule : CdpRule.Relay;

    public static IEnumerable<KeyValuePair<string, CdpRule>> All => Rules;
}
