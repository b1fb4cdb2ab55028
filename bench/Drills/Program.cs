namespace UFBrowsers.Bench.Drills;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = DrillOptions.Parse(args);
        Func<DrillOptions, Task<bool>>[] drills = options.Command switch
        {
            "silo-kill" => [SiloKillDrill.RunAsync],
            "postgres-outage" => [PostgresOutageDrill.RunAsync],
            "flaky-pods" => [FlakyPodsDrill.RunAsync],
            "malformed" => [MalformedRequestsDrill.RunAsync],
            "all" => [SiloKillDrill.RunAsync, PostgresOutageDrill.RunAsync, FlakyPodsDrill.RunAsync, MalformedRequestsDrill.RunAsync],
            _ => [],
        };
        if (drills.Length == 0)
        {
            Console.Error.WriteLine("usage: Drills [silo-kill|postgres-outage|flaky-pods|malformed|all] [--seconds 60] [--clients 16] [--requests 2000]");
            return 2;
        }

        var passed = true;
        foreach (var drill in drills)
        {
            passed &= await drill(options);
        }

        Console.WriteLine(passed ? "all checks passed" : "SOME CHECKS FAILED");
        return passed ? 0 : 1;
    }
}
