using System.Globalization;

namespace UFBrowsers.Bench.UsablePage;

/// <summary>The optional <c>--csv</c> file: one line per session, for a closer look at a run.</summary>
internal sealed class SessionLog : IDisposable
{
    private readonly StreamWriter? _writer;
    private readonly long _started = TimeProvider.System.GetTimestamp();

    public SessionLog(string? path)
    {
        if (path is null)
        {
            return;
        }

        _writer = new StreamWriter(path) { AutoFlush = true };
        _writer.WriteLine("shape,variant,at_s,create_ms,connect_ms,new_page_ms,evaluate_ms,usable_page_ms,load1,error");
    }

    public void Write(string shape, VariantSpec variant, long startedAt, StepTimes? steps, double load, Exception? error)
    {
        if (_writer is null)
        {
            return;
        }

        var at = TimeProvider.System.GetElapsedTime(_started, startedAt).TotalSeconds;
        var line = steps is null
            ? string.Create(CultureInfo.InvariantCulture, $"{shape},{variant.Name},{at:F3},,,,,,{load},\"{error?.GetType().Name}\"")
            : string.Create(CultureInfo.InvariantCulture,
                $"{shape},{variant.Name},{at:F3},{steps.Create.TotalMilliseconds:F1},{steps.Connect.TotalMilliseconds:F1},{steps.NewPage.TotalMilliseconds:F1},{steps.Evaluate.TotalMilliseconds:F1},{steps.Total.TotalMilliseconds:F1},{load},");
        lock (_writer)
        {
            _writer.WriteLine(line);
        }
    }

    public void Dispose() => _writer?.Dispose();
}
