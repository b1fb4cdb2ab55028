using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// The routing policy of a sandboxed pod's own network namespace, as an <c>ip -batch</c> script that root runs inside the
/// namespace before the browser starts.
/// </summary>
/// <remarks>
/// slirp4netns gives the namespace <c>10.0.2.100/24</c>, a default route through <c>10.0.2.2</c> (user-mode NAT: outbound
/// connections are made by slirp4netns on the host's behalf) and a DNS forwarder at <c>10.0.2.3</c>. The policy:
/// <list type="bullet">
/// <item>Blocked ranges and every address of this machine get <c>prohibit</c> routes: connecting there fails at once
/// (EACCES), before any packet reaches slirp4netns, so the host's services on its own addresses are out of reach too.</item>
/// <item>slirp4netns maps every address of its /24 to the host (the DNS forwarder to the host's resolver, on any port):
/// only port 53 of the forwarder is let through, the rest of the /24 is prohibited.</item>
/// <item>The browser's DevTools port inside the namespace is refused to the sandbox's user, so a page (or a site the
/// tenant visits) cannot open its own browser's DevTools; the bridge, running as root, can.</item>
/// </list>
/// All rules match only traffic the namespace sends (<c>iif lo</c>), never replies coming in from slirp4netns.
/// </remarks>
internal static class PodNetworkPolicy
{
    public const string DnsForwarder = "10.0.2.3";
    public const string SlirpNetwork = "10.0.2.0/24";
    public const string TapDevice = "tap0";

    /// <summary>Where Chromium listens for DevTools inside the pod's namespace (each pod has its own loopback).</summary>
    public const int DevToolsPort = 9222;

    public static string ResolvConf => $"nameserver {DnsForwarder}\n";

    public static string IpBatch(IEnumerable<string> blockedCidrs, IEnumerable<IPAddress> hostAddresses, int sandboxUid)
    {
        var uid = sandboxUid.ToString(CultureInfo.InvariantCulture);
        var batch = new StringBuilder();
        batch.AppendLine($"rule add pref 100 iif lo to {DnsForwarder} ipproto udp dport 53 lookup main");
        batch.AppendLine($"rule add pref 101 iif lo to {DnsForwarder} ipproto tcp dport 53 lookup main");
        batch.AppendLine($"rule add pref 110 iif lo to {SlirpNetwork} prohibit");
        batch.AppendLine($"rule add pref 120 iif lo uidrange {uid}-{uid} ipproto tcp dport {DevToolsPort} prohibit");
        // The local table is consulted at preference 0 by default, before any rule above: move it after them.
        batch.AppendLine("rule add pref 200 lookup local");
        batch.AppendLine("rule del pref 0");
        foreach (var cidr in blockedCidrs)
        {
            batch.AppendLine($"route add prohibit {cidr}");
        }

        foreach (var address in hostAddresses.Where(a => a.AddressFamily == AddressFamily.InterNetwork).Distinct())
        {
            batch.AppendLine($"route add prohibit {address}/32");
        }

        return batch.ToString();
    }

    /// <summary>This machine's own IPv4 addresses (loopback aside): slirp4netns would otherwise connect to them from the host.</summary>
    public static IReadOnlyList<IPAddress> HostAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address)
            .Where(address => address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(address))
            .ToList();

    /// <summary>Checks the configured ranges before any pod starts, so a typo is a start-up error rather than a pod failure.</summary>
    public static void Validate(IEnumerable<string> blockedCidrs)
    {
        foreach (var cidr in blockedCidrs)
        {
            if (!IPNetwork.TryParse(cidr, out var network) || network.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
            {
                throw new InvalidOperationException(
                    $"'{cidr}' in {LocalChromiumOptions.Section}:Network:BlockedCidrs is not an IPv4 network such as 10.0.0.0/8.");
            }
        }
    }
}
