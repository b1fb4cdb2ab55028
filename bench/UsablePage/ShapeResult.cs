namespace UFBrowsers.Bench.UsablePage;

/// <summary>One shape's results, a <see cref="VariantResults"/> per variant.</summary>
internal sealed class ShapeResult(string shape, string description, IEnumerable<VariantSpec> variants)
{
    public string Shape { get; } = shape;

    public string Description { get; } = description;

    public IReadOnlyDictionary<VariantSpec, VariantResults> Variants { get; } = variants.ToDictionary(v => v, v => new VariantResults(v));

    public string LoadBefore { get; set; } = "";

    public string LoadAfter { get; set; } = "";
}
