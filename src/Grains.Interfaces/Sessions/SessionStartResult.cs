namespace UFBrowsers.Sessions;

[GenerateSerializer, Immutable, Alias("ufb.SessionStartResult")]
public sealed record SessionStartResult(
    [property: Id(0)] SessionStartOutcome Outcome,
    [property: Id(1)] SessionView? Session,
    [property: Id(2)] long Balance,
    [property: Id(3)] int ConcurrencyLimit,
    [property: Id(4)] int SessionsInUse,
    [property: Id(5)] string? Detail = null)
{
    public bool Succeeded => Outcome is SessionStartOutcome.Started or SessionStartOutcome.Replayed;
}
