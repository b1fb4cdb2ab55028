using System.Globalization;

namespace UFBrowsers.Bench.UsablePage;

/// <summary>The command line: which shapes, which variants, how many samples.</summary>
internal sealed record UsablePageOptions(
    IReadOnlyList<string> Shapes,
    IReadOnlyList<VariantSpec> Variants,
    int Samples,
    int Block,
    double SteadyRate,
    TimeSpan SteadyHold,
    TimeSpan SteadyDuration,
    TimeSpan FloorAge,
    int? WarmTarget,
    string? Csv)
{
    public const string OneASecond = "one-a-second";
    public const string BackToBack = "back-to-back";
    public const string Steady = "steady";

    public const string Usage =
        """
        dotnet run -c Release --project bench/UsablePage -- [options]
          --shapes one-a-second,back-to-back,steady   which shapes to run (default: all three)
          --variants sandbox,no-sandbox,floor         what to measure, interleaved: sandbox / no-sandbox (the product, PostgreSQL, the
                                                      gateway, Sandbox=false) and floor (Chromium launched directly, no gateway, warm);
                                                      each may name a browser build and turn the warm-up off: sandbox:full, floor:shell:cold
          --samples 30                                per variant, for one-a-second and back-to-back
          --block 10                                  back-to-back sessions per variant before the next variant's turn
          --steady-rate 3 --steady-hold 2 --steady-seconds 60   arrivals per second, session length, duration per variant
          --floor-age 1.5                             seconds a floor browser idles after it answers, before it is used
          --warm-target N                             the pools' warm target (default: the product's configuration)
          --csv file                                  one line per session
        """;

    public static UsablePageOptions Parse(string[] args)
    {
        var shapes = List(args, "--shapes", $"{OneASecond},{BackToBack},{Steady}");
        foreach (var shape in shapes)
        {
            if (shape is not (OneASecond or BackToBack or Steady))
            {
                throw new ArgumentException($"Unknown shape '{shape}'.\n{Usage}");
            }
        }

        return new UsablePageOptions(
            shapes,
            List(args, "--variants", "sandbox,no-sandbox,floor").Select(VariantSpec.Parse).ToList(),
            Int(args, "--samples", 30),
            Int(args, "--block", 10),
            Double(args, "--steady-rate", 3),
            TimeSpan.FromSeconds(Double(args, "--steady-hold", 2)),
            TimeSpan.FromSeconds(Double(args, "--steady-seconds", 60)),
            TimeSpan.FromSeconds(Double(args, "--floor-age", 1.5)),
            Value(args, "--warm-target") is { } warm ? int.Parse(warm, CultureInfo.InvariantCulture) : null,
            Value(args, "--csv"));
    }

    private static string? Value(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static List<string> List(string[] args, string name, string fallback) =>
        (Value(args, name) ?? fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static int Int(string[] args, string name, int fallback) =>
        Value(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private static double Double(string[] args, string name, double fallback) =>
        Value(args, name) is { } value ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
