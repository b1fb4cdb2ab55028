using UFBrowsers.BenchSupport;

namespace UFBrowsers.Bench.UsablePage;

/// <summary>What one variant measured in one shape: each step, the total, the machine's load at each session, misses and failures.</summary>
internal sealed class VariantResults(VariantSpec spec)
{
    private readonly List<double> _loads = [];

    public VariantSpec Spec { get; } = spec;

    public Samples Create { get; } = new("create");

    public Samples Connect { get; } = new("connect");

    public Samples NewPage { get; } = new("newPage");

    public Samples Evaluate { get; } = new("evaluate");

    public Samples Total { get; } = new("usable page");

    public long Misses { get; set; }

    public int Failures { get; private set; }

    public string? LastFailure { get; private set; }

    public double MedianLoad => Percentiles.Median(_loads);

    public void Add(StepTimes steps, double load)
    {
        lock (_loads)
        {
            Create.Add(steps.Create);
            Connect.Add(steps.Connect);
            NewPage.Add(steps.NewPage);
            Evaluate.Add(steps.Evaluate);
            Total.Add(steps.Total);
            _loads.Add(load);
        }
    }

    public void Fail(Exception error)
    {
        lock (_loads)
        {
            Failures++;
            LastFailure = error.GetType().Name + ": " + error.Message.Split('\n')[0];
        }
    }
}
