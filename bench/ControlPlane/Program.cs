namespace UFBrowsers.Bench.ControlPlane;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = BenchOptions.Parse(args);
        switch (options.Command)
        {
            case "memory":
                await ControlPlaneBenchmark.RunMemoryAsync(options);
                break;
            case "postgres":
                await ControlPlaneBenchmark.RunPostgresAsync(options);
                break;
            case "footprint":
                await FootprintBenchmark.RunAsync(options);
                break;
            case "create-latency":
                await CreateLatencyBenchmark.RunAsync(options);
                break;
            case "all":
                await ControlPlaneBenchmark.RunMemoryAsync(options);
                await ControlPlaneBenchmark.RunPostgresAsync(options);
                await FootprintBenchmark.RunAsync(options);
                break;
            default:
                Console.Error.WriteLine("usage: ControlPlane [memory|postgres|footprint|all] [--runs 5] [--seconds 10] [--warmup 30] [--clients 16] [--customers 256] [--sessions 100000] [--storage memory|postgres]\n" +
                                        "       ControlPlane create-latency [--pods instant|local] [--runs 5] [--samples 1000] [--warmup-samples 1000] [--interval-ms 0]");
                return 2;
        }

        return 0;
    }
}
