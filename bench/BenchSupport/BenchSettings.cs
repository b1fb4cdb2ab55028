using System.Globalization;
using UFBrowsers.TestSupport;

namespace UFBrowsers.BenchSupport;

/// <summary>Configuration shared by every benchmark and drill host: a roomy plan, a large warm pool, quiet logs.</summary>
public static class BenchSettings
{
    public const string Plan = "bench";

    public const string NodePool = "default";

    public const string OperatorToken = "bench-operator-token-0123456789abcdef";

    /// <summary>Settings for one silo (plus the API when it is co-hosted) on fresh loopback ports.</summary>
    public static Dictionary<string, string?> ForSilo(string storage, string? postgresConnectionString = null, int warmTarget = 64, int maxPods = 1_000_000)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft"] = "Warning",
            ["Logging:LogLevel:Orleans"] = "Warning",
            ["Logging:Console:FormatterName"] = "simple",
            ["UFBrowsers:Silo:Storage"] = storage,
            ["UFBrowsers:Silo:PodProvider"] = "LocalChromium",
            ["UFBrowsers:Silo:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["UFBrowsers:Silo:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["UFBrowsers:Silo:ClusterId"] = "bench-" + Guid.NewGuid().ToString("N")[..8],
            // The local Chromium adapter is registered by configuration and then replaced; keep its start-up sweep in a private folder.
            ["UFBrowsers:LocalChromium:PodsDirectory"] = Path.Combine(Path.GetTempPath(), "ufb-bench-pods-" + Environment.ProcessId),
            ["UFBrowsers:Operator:Token"] = OperatorToken,
            // Webhooks configured as in production, so that bad webhook requests meet signature verification (a fresh secret per run).
            ["UFBrowsers:Stripe:WebhookSecret"] = "whsec_" + Guid.NewGuid().ToString("N"),
            ["UFBrowsers:Billing:Plans:" + Plan + ":MonthlyPriceCents"] = "4900",
            ["UFBrowsers:Billing:Plans:" + Plan + ":CreditsPerPeriod"] = "5000",
            ["UFBrowsers:Billing:Plans:" + Plan + ":ConcurrencyLimit"] = "100000",
            ["UFBrowsers:Billing:Plans:" + Plan + ":MaxSessionMinutes"] = "60",
            ["UFBrowsers:Pods:DefaultNodePool"] = NodePool,
            ["UFBrowsers:Pods:NodePools:" + NodePool + ":WarmTarget"] = warmTarget.ToString(CultureInfo.InvariantCulture),
            ["UFBrowsers:Pods:NodePools:" + NodePool + ":MaxPods"] = maxPods.ToString(CultureInfo.InvariantCulture),
        };
        if (postgresConnectionString is not null)
        {
            settings["UFBrowsers:Postgres:ConnectionString"] = postgresConnectionString;
        }

        return settings;
    }
}
