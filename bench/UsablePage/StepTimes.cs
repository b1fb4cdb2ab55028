namespace UFBrowsers.Bench.UsablePage;

/// <summary>One session's steps as its client saw them.</summary>
internal sealed record StepTimes(TimeSpan Create, TimeSpan Connect, TimeSpan NewPage, TimeSpan Evaluate, bool CreateIsCustomerTime)
{
    /// <summary>Time to a usable page: create (the product's only) + connect + new page + first evaluate.</summary>
    public TimeSpan Total => (CreateIsCustomerTime ? Create : TimeSpan.Zero) + Connect + NewPage + Evaluate;
}
