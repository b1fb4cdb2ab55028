using System.Diagnostics;

namespace UFBrowsers.Grains.Telemetry;

/// <summary>
/// The <see cref="SourceName"/> activity source: one span per step of a session's create (and the pool's work), so an
/// exporter or a benchmark's listener can show where a create's time goes. Without a listener a span costs nothing.
/// </summary>
public static class UFBrowsersTracing
{
    public const string SourceName = "UFBrowsers";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Span names of the create path, in the order a create takes them.</summary>
    public static class Spans
    {
        public const string Authenticate = "ufb.auth";
        public const string Create = "ufb.session.create";
        public const string Queue = "ufb.session.queue";
        public const string Start = "ufb.session.start";
        public const string Admission = "ufb.session.admission";
        public const string HoldStatement = "ufb.ledger.hold";
        public const string PoolAcquire = "ufb.pool.acquire";
        public const string BrowserHooks = "ufb.session.browser_hooks";
        public const string StateWrite = "ufb.session.state_write";
        public const string GatewayToken = "ufb.gateway.token";
        public const string Audit = "ufb.audit";
        public const string Response = "ufb.response";
        public const string PodLaunch = "ufb.pool.launch";
    }

    /// <summary>Starts a span of <see cref="Source"/>; null (and free) when nothing listens.</summary>
    public static Activity? Start(string name, ActivityKind kind = ActivityKind.Internal) => Source.StartActivity(name, kind);
}
