namespace UFBrowsers.TestSupport.Faults;

/// <summary>One injected fault: where it fires, and, once it has, on which site (silo) it did.</summary>
public sealed class Fault(string step, string? subject, FaultTiming timing, FaultAction action)
{
    private readonly TaskCompletionSource<string> _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _fired;

    public string Step { get; } = step;

    public string? Subject { get; } = subject;

    public FaultTiming Timing { get; } = timing;

    public FaultAction Action { get; } = action;

    /// <summary>Completes with the site (silo name) the fault fired on.</summary>
    public Task<string> Reached => _reached.Task;

    internal Task Released => _released.Task;

    public void Release() => _released.TrySetResult();

    internal bool TryFire(string site)
    {
        if (Interlocked.Exchange(ref _fired, 1) == 1)
        {
            return false;
        }

        _reached.TrySetResult(site);
        return true;
    }
}

public enum FaultTiming
{
    Before,
    After,
}

public enum FaultAction
{
    Throw,
    Hold,
}
