using System.Diagnostics.Metrics;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Telemetry;

/// <summary>
/// Every UFBrowsers instrument, on the one <see cref="MeterName"/> meter. Names and units follow the
/// OpenTelemetry semantic conventions (dot-separated, UCUM units, no <c>_total</c>: exporters add suffixes).
/// </summary>
public sealed class UFBrowsersMetrics
{
    public const string MeterName = "UFBrowsers";

    public const string NodePoolTag = "ufbrowsers.node_pool";
    public const string EndReasonTag = "ufbrowsers.session.end_reason";
    public const string OutcomeTag = "ufbrowsers.outcome";
    public const string EventTypeTag = "ufbrowsers.webhook.event_type";
    public const string OperationTag = "ufbrowsers.operation";

    private readonly UpDownCounter<long> _sessionsActive;
    private readonly Counter<long> _sessionsStarted;
    private readonly Counter<long> _sessionsEnded;
    private readonly Histogram<double> _sessionStartDuration;
    private readonly Gauge<int> _podsReady;
    private readonly Counter<long> _poolHits;
    private readonly Counter<long> _poolMisses;
    private readonly Counter<long> _poolRefusals;
    private readonly Counter<long> _poolTrimmed;
    private readonly Gauge<int> _poolTarget;
    private readonly Gauge<int> _podsStarting;
    private readonly Histogram<double> _podLaunchDuration;
    private readonly Counter<long> _creditsHeld;
    private readonly Counter<long> _creditsCharged;
    private readonly Counter<long> _creditsRefunded;
    private readonly Counter<long> _webhookEvents;
    private readonly UpDownCounter<int> _queueDepth;
    private readonly Counter<long> _namespaceConflicts;

    public UFBrowsersMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _sessionsActive = meter.CreateUpDownCounter<long>("ufbrowsers.sessions.active", "{session}", "Browser sessions running now.");
        _sessionsStarted = meter.CreateCounter<long>("ufbrowsers.sessions.started", "{session}", "Browser sessions started.");
        _sessionsEnded = meter.CreateCounter<long>("ufbrowsers.sessions.ended", "{session}", "Browser sessions ended, by end reason.");
        _sessionStartDuration = meter.CreateHistogram<double>("ufbrowsers.session.start.duration", "s",
            "Time to answer a session start, by outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _podsReady = meter.CreateGauge<int>("ufbrowsers.pool.pods.ready", "{pod}", "Warm browser pods ready for a session, per node pool.");
        _poolHits = meter.CreateCounter<long>("ufbrowsers.pool.hits", "{pod}", "Sessions served by a warm pod.");
        _poolMisses = meter.CreateCounter<long>("ufbrowsers.pool.misses", "{pod}", "Sessions that found no warm pod and waited for a launch.");
        _poolRefusals = meter.CreateCounter<long>("ufbrowsers.pool.refusals", "{pod}", "Sessions refused a pod because the pool was at its MaxPods.");
        _poolTrimmed = meter.CreateCounter<long>("ufbrowsers.pool.trimmed", "{pod}", "Warm pods deleted after waiting unused beyond the pool's target.");
        _poolTarget = meter.CreateGauge<int>("ufbrowsers.pool.pods.target", "{pod}", "Warm pods (ready or starting) the pool aims for now, set by demand, per node pool.");
        _podsStarting = meter.CreateGauge<int>("ufbrowsers.pool.pods.starting", "{pod}", "Pods being launched (warm ones and ones sessions wait for), per node pool.");
        _podLaunchDuration = meter.CreateHistogram<double>("ufbrowsers.pool.launch.duration", "s",
            "Time from asking the provider for a pod until it answered ready, per node pool.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 90] });
        _creditsHeld = meter.CreateCounter<long>("ufbrowsers.credits.held", "{credit}", "Credits held when sessions started.");
        _creditsCharged = meter.CreateCounter<long>("ufbrowsers.credits.charged", "{credit}", "Credits charged for session minutes beyond the hold.");
        _creditsRefunded = meter.CreateCounter<long>("ufbrowsers.credits.refunded", "{credit}", "Credits given back to customers.");
        _webhookEvents = meter.CreateCounter<long>("ufbrowsers.webhook.events", "{event}", "Stripe webhook deliveries, by event type and outcome.");
        // Each silo counts the waiters of the queues it hosts; the sum over silos is the cluster's.
        _queueDepth = meter.CreateUpDownCounter<int>("ufbrowsers.queue.depth", "{request}", "Session requests waiting in customers' queues for a concurrency slot.");
        _namespaceConflicts = meter.CreateCounter<long>("ufbrowsers.kubernetes.namespace.conflicts", "{namespace}",
            "Tenant namespaces neither provisioned nor deleted because another owner holds the name (an operator must look).");
    }

    public void SessionStarted(string nodePool)
    {
        var pool = new KeyValuePair<string, object?>(NodePoolTag, nodePool);
        _sessionsStarted.Add(1, pool);
        _sessionsActive.Add(1, pool);
    }

    public void SessionEnded(string nodePool, EndReason reason)
    {
        _sessionsEnded.Add(1, new KeyValuePair<string, object?>(NodePoolTag, nodePool), new KeyValuePair<string, object?>(EndReasonTag, Snake(reason.ToString())));
        _sessionsActive.Add(-1, new KeyValuePair<string, object?>(NodePoolTag, nodePool));
    }

    public void SessionStartAnswered(TimeSpan elapsed, SessionStartOutcome outcome) =>
        _sessionStartDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(OutcomeTag, Snake(outcome.ToString())));

    public void PodsReady(string nodePool, int ready) => _podsReady.Record(ready, new KeyValuePair<string, object?>(NodePoolTag, nodePool));

    public void PoolHit(string nodePool) => _poolHits.Add(1, new KeyValuePair<string, object?>(NodePoolTag, nodePool));

    public void PoolMiss(string nodePool) => _poolMisses.Add(1, new KeyValuePair<string, object?>(NodePoolTag, nodePool));

    public void PoolRefused(string nodePool) => _poolRefusals.Add(1, new KeyValuePair<string, object?>(NodePoolTag, nodePool));

    public void PoolTrimmed(string nodePool) => _poolTrimmed.Add(1, new KeyValuePair<string, object?>(NodePoolTag, nodePool));

    public void PoolTarget(string nodePool, int target) => _poolTarget.Record(target, new KeyValuePair<string, object?>(NodePoolTag, nodePool));

    public void PodsStarting(string nodePool, int starting) => _podsStarting.Record(starting, new KeyValuePair<string, object?>(NodePoolTag, nodePool));

    public void PodLaunched(string nodePool, TimeSpan took) =>
        _podLaunchDuration.Record(took.TotalSeconds, new KeyValuePair<string, object?>(NodePoolTag, nodePool));

    public void CreditsHeld(long credits) => AddPositive(_creditsHeld, credits);

    public void CreditsCharged(long credits) => AddPositive(_creditsCharged, credits);

    public void CreditsRefunded(long credits) => AddPositive(_creditsRefunded, credits);

    public void WebhookEvent(string eventType, string outcome) =>
        _webhookEvents.Add(1, new KeyValuePair<string, object?>(EventTypeTag, eventType), new KeyValuePair<string, object?>(OutcomeTag, outcome));

    /// <summary>Waiters joined (positive) or left (negative) a customer's session queue.</summary>
    public void QueueChanged(int waiters)
    {
        if (waiters != 0)
        {
            _queueDepth.Add(waiters);
        }
    }

    public void NamespaceConflict(string operation) => _namespaceConflicts.Add(1, new KeyValuePair<string, object?>(OperationTag, operation));

    private static void AddPositive(Counter<long> counter, long credits)
    {
        if (credits > 0)
        {
            counter.Add(credits);
        }
    }

    private static string Snake(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
