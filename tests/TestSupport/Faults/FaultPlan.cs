using System.Collections.Concurrent;

namespace UFBrowsers.TestSupport.Faults;

/// <summary>
/// Faults to inject at named steps of the product's I/O (ledger writes, grain state writes, pod operations): fail a step,
/// or hold it (before or after the step's own write) until the test lets it go or kills the silo it runs on. Each fault
/// fires once, for the first call of its step whose subject matches. Shared by every silo of an in-process cluster.
/// </summary>
public sealed class FaultPlan
{
    private readonly ConcurrentQueue<Fault> _faults = new();

    /// <summary>Throws <see cref="InjectedFaultException"/> before the step does anything.</summary>
    public Fault FailBefore(string step, string? subject = null) => Add(new Fault(step, subject, FaultTiming.Before, FaultAction.Throw));

    /// <summary>Does the step, then throws: the write happened, the caller cannot know it (a commit whose answer was lost).</summary>
    public Fault FailAfter(string step, string? subject = null) => Add(new Fault(step, subject, FaultTiming.After, FaultAction.Throw));

    /// <summary>Holds the call before the step until <see cref="Fault.Release"/>.</summary>
    public Fault HoldBefore(string step, string? subject = null) => Add(new Fault(step, subject, FaultTiming.Before, FaultAction.Hold));

    /// <summary>Does the step, then holds the call until <see cref="Fault.Release"/> (or forever, when its silo is killed).</summary>
    public Fault HoldAfter(string step, string? subject = null) => Add(new Fault(step, subject, FaultTiming.After, FaultAction.Hold));

    public void Clear()
    {
        while (_faults.TryDequeue(out var fault))
        {
            fault.Release();
        }
    }

    public Task BeforeAsync(string step, string? subject, string site) => RunAsync(step, subject, site, FaultTiming.Before);

    public Task AfterAsync(string step, string? subject, string site) => RunAsync(step, subject, site, FaultTiming.After);

    /// <summary>Runs <paramref name="action"/> between the faults of its step.</summary>
    public async Task<T> AroundAsync<T>(string step, string? subject, string site, Func<Task<T>> action)
    {
        await BeforeAsync(step, subject, site);
        var result = await action();
        await AfterAsync(step, subject, site);
        return result;
    }

    private async Task RunAsync(string step, string? subject, string site, FaultTiming timing)
    {
        foreach (var fault in _faults)
        {
            if (fault.Timing == timing && fault.Step == step && (fault.Subject is null || fault.Subject == subject) && fault.TryFire(site))
            {
                if (fault.Action == FaultAction.Throw)
                {
                    throw new InjectedFaultException($"injected fault {timing.ToString().ToLowerInvariant()} {step} of {subject}");
                }

                await fault.Released;
            }
        }
    }

    private Fault Add(Fault fault)
    {
        _faults.Enqueue(fault);
        return fault;
    }
}
