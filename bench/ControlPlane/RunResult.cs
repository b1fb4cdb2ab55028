namespace UFBrowsers.Bench.ControlPlane;

/// <summary>
/// One timed run: create latencies (ms, ascending), completed start+end pairs, failed requests, and the CPU time the
/// whole process (server and clients) used, which the other engineers' work on this shared machine does not inflate,
/// and the methods the JIT compiled meanwhile: tiered compilation keeps recompiling for tens of seconds under load, so
/// a run that still compiles thousands of methods is not measuring the steady state.
/// </summary>
internal sealed record RunResult(IReadOnlyList<double> CreateLatenciesMs, long Pairs, long Failures, TimeSpan Duration, TimeSpan Cpu, long MethodsCompiled)
{
    public double PairsPerSecond => Pairs / Duration.TotalSeconds;

    public double CpuMsPerPair => Cpu.TotalMilliseconds / Math.Max(1, Pairs);
}
