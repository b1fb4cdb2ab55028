using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using UFBrowsers.Grains.Telemetry;
using UFBrowsers.Sessions;

namespace UFBrowsers.Grains.Tests.Telemetry;

public sealed class UFBrowsersMetricsTests
{
    [Fact]
    public void The_meter_defines_every_instrument()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var published = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == UFBrowsersMetrics.MeterName && instrument.Meter.Scope == services.GetRequiredService<IMeterFactory>())
                {
                    published.Add(instrument);
                }
            },
        };
        listener.Start();

        _ = new UFBrowsersMetrics(services.GetRequiredService<IMeterFactory>());

        Assert.Equal(
            [
                "ufbrowsers.credits.charged", "ufbrowsers.credits.held", "ufbrowsers.credits.refunded",
                "ufbrowsers.kubernetes.namespace.conflicts", "ufbrowsers.pool.hits", "ufbrowsers.pool.launch.duration", "ufbrowsers.pool.misses",
                "ufbrowsers.pool.pods.ready", "ufbrowsers.pool.pods.starting", "ufbrowsers.pool.pods.target", "ufbrowsers.pool.refusals",
                "ufbrowsers.pool.trimmed", "ufbrowsers.queue.depth",
                "ufbrowsers.session.start.duration", "ufbrowsers.sessions.active", "ufbrowsers.sessions.ended",
                "ufbrowsers.sessions.started", "ufbrowsers.webhook.events",
            ],
            published.Select(i => i.Name).Order(StringComparer.Ordinal));
        Assert.Equal("s", published.Single(i => i.Name == "ufbrowsers.session.start.duration").Unit);
        Assert.Equal("s", published.Single(i => i.Name == "ufbrowsers.pool.launch.duration").Unit);
    }

    [Fact]
    public void Tags_use_snake_case_values_like_the_api()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var tags = new List<KeyValuePair<string, object?>>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == "ufbrowsers.sessions.ended")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, measured, _) => tags.AddRange(measured.ToArray()));
        listener.Start();

        new UFBrowsersMetrics(factory).SessionEnded("default", EndReason.BalanceExhausted);

        Assert.Contains(new KeyValuePair<string, object?>(UFBrowsersMetrics.EndReasonTag, "balance_exhausted"), tags);
        Assert.Contains(new KeyValuePair<string, object?>(UFBrowsersMetrics.NodePoolTag, "default"), tags);
    }
}
