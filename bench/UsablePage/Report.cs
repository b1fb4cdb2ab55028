using UFBrowsers.BenchSupport;

namespace UFBrowsers.Bench.UsablePage;

/// <summary>The tables a run prints: per shape, each variant's steps (median and p99), its ratio to the floor, and the targets.</summary>
internal static class Report
{
    private const double OneASecondTarget = 80;
    private const double BackToBackTarget = 120;
    private const double FloorRatioTarget = 1.5;
    private const double SandboxRatioTarget = 1.10;

    public static void Print(ShapeResult result)
    {
        Console.WriteLine();
        Console.WriteLine($"== {result.Description}");
        Console.WriteLine($"   load average before: {result.LoadBefore}; after: {result.LoadAfter}");
        Console.WriteLine($"   {"ms: p50 / p99",-22} {"create",13} {"connect",13} {"newPage",13} {"evaluate",13} {"usable page",13} {"vs floor",9} {"n",4} {"misses",6} {"fails",5} {"load",5}");
        foreach (var variant in result.Variants.Values)
        {
            var create = variant.Spec.IsFloor ? $"{"-",13}" : Cell(variant.Create);
            var floor = FloorOf(result, variant.Spec);
            var ratio = floor is null || variant.Spec.IsFloor ? "" : $"{variant.Total.Median / floor.Total.Median:F2}";
            Console.WriteLine(
                $"   {variant.Spec.Name,-22} {create} {Cell(variant.Connect)} {Cell(variant.NewPage)} {Cell(variant.Evaluate)} {Cell(variant.Total)} " +
                $"{ratio,9} {variant.Total.Count,4} {variant.Misses,6} {variant.Failures,5} {variant.MedianLoad,5:F1}");
            if (variant.LastFailure is { } failure)
            {
                Console.WriteLine($"     last failure: {failure}");
            }
        }

        foreach (var variant in result.Variants.Values.Where(v => v.Spec.Kind == VariantSpec.Sandbox))
        {
            if (Partner(result, variant.Spec, VariantSpec.NoSandbox) is { } unsandboxed)
            {
                Console.WriteLine(
                    $"   {variant.Spec.Name} / {unsandboxed.Spec.Name}, p50: create {Ratio(variant.Create, unsandboxed.Create)}, connect {Ratio(variant.Connect, unsandboxed.Connect)}, " +
                    $"newPage {Ratio(variant.NewPage, unsandboxed.NewPage)}, evaluate {Ratio(variant.Evaluate, unsandboxed.Evaluate)}, usable page {Ratio(variant.Total, unsandboxed.Total)}");
            }
        }

        foreach (var line in Targets(result))
        {
            Console.WriteLine("   target " + line);
        }
    }

    public static IEnumerable<string> Targets(ShapeResult result)
    {
        foreach (var variant in result.Variants.Values.Where(v => v.Spec.Kind == VariantSpec.Sandbox && v.Total.Count > 0))
        {
            var name = variant.Spec.Name;
            var limit = result.Shape switch
            {
                UsablePageOptions.OneASecond => OneASecondTarget,
                UsablePageOptions.BackToBack => BackToBackTarget,
                _ => double.NaN,
            };
            if (!double.IsNaN(limit))
            {
                yield return Verdict($"{result.Shape} {name}: usable page p50 {variant.Total.Median:F0} ms <= {limit:F0} ms", variant.Total.Median <= limit);
            }

            if (FloorOf(result, variant.Spec) is { Total.Count: > 0 } floor)
            {
                var ratio = variant.Total.Median / floor.Total.Median;
                yield return Verdict($"{result.Shape} {name}: ratio to {floor.Spec.Name} {ratio:F2} <= {FloorRatioTarget:F2}", ratio <= FloorRatioTarget);
            }

            if (Partner(result, variant.Spec, VariantSpec.NoSandbox) is { Total.Count: > 0 } unsandboxed)
            {
                var ratio = variant.Total.Median / unsandboxed.Total.Median;
                yield return Verdict($"{result.Shape} {name}: {ratio:F2}x {unsandboxed.Spec.Name} <= {SandboxRatioTarget:F2}x", ratio <= SandboxRatioTarget);
            }
        }
    }

    private static string Verdict(string what, bool met) => $"{what}: {(met ? "met" : "NOT met")}";

    private static VariantResults? FloorOf(ShapeResult result, VariantSpec spec) =>
        Partner(result, spec, VariantSpec.Floor) ?? result.Variants.Values.FirstOrDefault(v => v.Spec.IsFloor);

    /// <summary>The variant of <paramref name="kind"/> with the same build and warm-up as <paramref name="spec"/>.</summary>
    private static VariantResults? Partner(ShapeResult result, VariantSpec spec, string kind) =>
        result.Variants.Values.FirstOrDefault(v => v.Spec.Kind == kind && v.Spec.Build == spec.Build && v.Spec.Cold == spec.Cold);

    private static string Cell(Samples samples) => samples.Count == 0 ? $"{"-",13}" : $"{samples.Median,6:F0} /{samples.P99,5:F0}";

    private static string Ratio(Samples a, Samples b) => b.Count == 0 || a.Count == 0 ? "-" : $"{a.Median / b.Median:F2}";
}
