namespace UFBrowsers.Bench.ControlPlane;

/// <summary>
/// One timed run: create latencies (ms, ascending), completed start+end pairs, failed requests, and the CPU time the
/// whole process (server and clients) used, which the other engineers' work on this shared machine does not inflate.
/// </summary>
internal sealed record RunResult(IReadOnlyList<double> CreateLatenciesMs, long Pairs, long Failures, TimeSpan Duration, TimeSpan Cpu)
{
    public double PairsPerSecond => Pairs / Duration.TotalSeconds;

    public double CpuMsPerPair => Cpu.TotalMilliseconds / Math.Max(1, Pairs);
}
