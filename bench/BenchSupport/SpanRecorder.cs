using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using UFBrowsers.Grains.Telemetry;

namespace UFBrowsers.BenchSupport;

/// <summary>
/// Listens to the spans of a create in this process (UFBrowsers' steps, ASP.NET Core's request, Orleans' grain calls,
/// Npgsql's statements) and tells, for the traces a benchmark marked as creates, what each step costs: how often it
/// occurs per create, its median and p99, and where in the create it starts. The product's own spans, no profiler: the
/// figures the README's table of a create's time comes from.
/// </summary>
public sealed class SpanRecorder : IDisposable
{
    /// <summary>The source of the client's own span around each measured request; its trace is what the server's spans join.</summary>
    public const string ClientSourceName = "UFBrowsers.Bench";

    private static readonly HashSet<string> Sources =
        [ClientSourceName, UFBrowsersTracing.SourceName, "Microsoft.AspNetCore", "Microsoft.Orleans.Application", "Npgsql"];

    // After Sources: a listener made before this source asks for it by name.
    private static readonly ActivitySource ClientSource = new(ClientSourceName);

    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Span> _spans = new();
    private readonly ConcurrentDictionary<ActivityTraceId, byte> _measured = new();

    public SpanRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => Sources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _spans.Enqueue(new Span(
                activity.TraceId, NameOf(activity), activity.StartTimeUtc, activity.Duration, activity.ParentSpanId == default)),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Starts the client's span of one measured request; the request's HTTP call carries its trace to the server.</summary>
    public Activity? Measure(string name)
    {
        var activity = ClientSource.StartActivity(name, ActivityKind.Client);
        if (activity is not null)
        {
            _measured[activity.TraceId] = 0;
        }

        return activity;
    }

    /// <summary>Forgets what was recorded so far (the warm-up's spans).</summary>
    public void Clear()
    {
        _spans.Clear();
        _measured.Clear();
    }

    /// <summary>One line per step of the measured requests, in the order the steps start.</summary>
    public string Report()
    {
        var traces = _spans.Where(span => _measured.ContainsKey(span.TraceId)).GroupBy(span => span.TraceId).ToList();
        if (traces.Count == 0)
        {
            return "  (no spans recorded)";
        }

        var rows = traces
            .SelectMany(trace =>
            {
                var start = trace.Min(span => span.Start);
                return trace.Select(span => (span.Name, Offset: (span.Start - start).TotalMilliseconds, Ms: span.Duration.TotalMilliseconds));
            })
            .GroupBy(row => row.Name)
            .Select(group => (
                Name: group.Key,
                PerTrace: group.Count() / (double)traces.Count,
                Offset: Percentiles.Median(group.Select(row => row.Offset)),
                Sorted: group.Select(row => row.Ms).Order().ToList()))
            .OrderBy(row => row.Offset)
            .ToList();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"  {"span",-58} {"per create",10} {"starts at",10} {"p50 ms",8} {"p99 ms",8}");
        foreach (var row in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {Truncate(row.Name, 58),-58} {row.PerTrace,10:F2} {row.Offset,10:F2} {Percentiles.Of(row.Sorted, 50),8:F3} {Percentiles.Of(row.Sorted, 99),8:F3}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  ({traces.Count} creates traced)");

        // Statements that belong to no request's trace: a grain's activation reads its state before any call of it runs.
        var orphans = _spans.Where(span => span.IsRoot && !_measured.ContainsKey(span.TraceId) && span.Name.StartsWith("sql ", StringComparison.Ordinal))
            .GroupBy(span => span.Name)
            .Select(group => (Name: group.Key, Count: group.Count(), Sorted: group.Select(span => span.Duration.TotalMilliseconds).Order().ToList()))
            .OrderByDescending(row => row.Count)
            .ToList();
        if (orphans.Count > 0)
        {
            text.AppendLine("  statements outside any request's trace during these creates (grain activations):");
            foreach (var row in orphans)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"  {Truncate(row.Name, 58),-58} {row.Count / (double)traces.Count,10:F2} {"",10} {Percentiles.Of(row.Sorted, 50),8:F3} {Percentiles.Of(row.Sorted, 99),8:F3}");
            }
        }

        return text.ToString().TrimEnd();
    }

    public void Dispose() => _listener.Dispose();

    private static string NameOf(Activity activity) => activity.Source.Name switch
    {
        "Npgsql" => "sql " + Statement(activity),
        "Microsoft.AspNetCore" => "http server " + activity.DisplayName,
        "Microsoft.Orleans.Application" => (activity.Kind == ActivityKind.Server ? "grain " : "grain call ") + activity.OperationName,
        _ => activity.OperationName,
    };

    /// <summary>The statement's first words, enough to tell the statements of a create apart.</summary>
    private static string Statement(Activity activity)
    {
        var text = (activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")) as string ?? activity.DisplayName;
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= 48 ? flat : flat[..48];
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    private sealed record Span(ActivityTraceId TraceId, string Name, DateTime Start, TimeSpan Duration, bool IsRoot);
}
