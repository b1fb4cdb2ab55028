namespace UFBrowsers.Bench.ControlPlane;

/// <summary>One timed run: create latencies (ms, ascending), completed start+end pairs and failed requests.</summary>
internal sealed record RunResult(IReadOnlyList<double> CreateLatenciesMs, long Pairs, long Failures, TimeSpan Duration)
{
    public double PairsPerSecond => Pairs / Duration.TotalSeconds;
}
