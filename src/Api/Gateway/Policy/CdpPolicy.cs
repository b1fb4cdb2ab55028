using System.Buffers;
using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using System.Text;

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

    /// <summary>Each policed method as a JSON string literal without escapes, the only way its name can appear unescaped.</summary>
    private static readonly SearchValues<string> QuotedMethods =
        SearchValues.Create(Rules.Keys.Select(m => $"\"{m}\"").ToArray(), StringComparison.Ordinal);

    /// <summary>A backslash (an escape may spell a name) and every byte above 0x7F (Chromium drops invalid UTF-8 inside strings).</summary>
    private static readonly SearchValues<byte> EscapeOrNonAscii =
        SearchValues.Create([(byte)'\\', .. Enumerable.Range(0x80, 0x80).Select(b => (byte)b)]);

    /// <summary>
    /// Whether a command (its unmasked JSON) could name a policed method, by two vectorized searches; false proves it
    /// cannot, so it is relayed without being read. For Chromium to see a policed method, its name must appear in the
    /// bytes as a plain string literal, or be spelled with an escape, or hide behind bytes above 0x7F that Chromium's
    /// parser drops. <paramref name="chars"/> is scratch space at least as long as <paramref name="json"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool MightName(ReadOnlySpan<byte> json, Span<char> chars)
    {
        if (json.IndexOfAny(EscapeOrNonAscii) >= 0)
        {
            return true;
        }

        var ascii = chars[..json.Length];
        Encoding.Latin1.GetChars(json, ascii);
        return ascii.IndexOfAny(QuotedMethods) >= 0;
    }

    /// <summary>The rule for a method; <see cref="CdpRule.Relay"/> for every method not named here. Allocates nothing.</summary>
    public static CdpRule For(ReadOnlySpan<char> method) =>
        RulesBySpan.TryGetValue(method, out var rule) ? rule : CdpRule.Relay;

    public static IEnumerable<KeyValuePair<string, CdpRule>> All => Rules;
}
