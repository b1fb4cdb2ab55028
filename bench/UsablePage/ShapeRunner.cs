using UFBrowsers.BenchSupport;

namespace UFBrowsers.Bench.UsablePage;

/// <summary>
/// The three shapes of demand, each over every variant, interleaved so that all of them meet the same machine load:
/// one session a second (variants taking turns), back to back (blocks of sessions per variant, turns rotating), and a steady
/// arrival of short sessions (a whole period per variant, one variant after the other).
/// </summary>
internal sealed class ShapeRunner(IReadOnlyList<IPageSource> sources, CustomerClient client, UsablePageOptions options, SessionLog log, CancellationToken stopping)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private Dictionary<IPageSource, long> _missesBefore = [];

    /// <summary>Unrecorded sessions on every variant: the process's JIT, Playwright's driver and each pool's first pods.</summary>
    public async Task WarmUpAsync(int sessions)
    {
        foreach (var source in sources)
        {
            await source.WaitUntilWarmAsync(stopping);
            for (var i = 0; i < sessions; i++)
            {
                await client.RunAsync(source, TimeSpan.Zero, stopping);
            }
        }
    }

    public async Task<ShapeResult> OneASecondAsync()
    {
        var result = await StartAsync(UsablePageOptions.OneASecond, $"one session a second, the variants taking turns ({options.Samples} per variant)");
        await WaitUntilWarmAsync();
        var next = TimeProvider.System.GetTimestamp();
        for (var round = 0; round < options.Samples; round++)
        {
            foreach (var source in Rotated(round))
            {
                var wait = Interval - TimeProvider.System.GetElapsedTime(next);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, stopping);
                }

                next = TimeProvider.System.GetTimestamp();
                await SampleAsync(result, source, TimeSpan.Zero);
            }
        }

        return await FinishAsync(result);
    }

    public async Task<ShapeResult> BackToBackAsync()
    {
        var result = await StartAsync(UsablePageOptions.BackToBack,
            $"back to back, in blocks of {options.Block} sessions per variant from a full pool ({options.Samples} per variant)");
        var blocks = (options.Samples + options.Block - 1) / options.Block;
        for (var round = 0; round < blocks; round++)
        {
            foreach (var source in Rotated(round))
            {
                await source.WaitUntilWarmAsync(stopping);
                await Task.Delay(Interval, stopping);
                var count = Math.Min(options.Block, options.Samples - round * options.Block);
                for (var i = 0; i < count; i++)
                {
                    await SampleAsync(result, source, TimeSpan.Zero);
                }
            }
        }

        return await FinishAsync(result);
    }

    public async Task<ShapeResult> SteadyAsync()
    {
        var result = await StartAsync(UsablePageOptions.Steady,
            $"steady arrival of {options.SteadyRate:0.#} sessions a second, each {options.SteadyHold.TotalSeconds:0.#} s long, " +
            $"for {options.SteadyDuration.TotalSeconds:0} s per variant, one variant after the other");
        foreach (var source in sources)
        {
            await source.WaitUntilWarmAsync(stopping);
            var sessions = (int)Math.Round(options.SteadyRate * options.SteadyDuration.TotalSeconds);
            var started = TimeProvider.System.GetTimestamp();
            var running = new List<Task>(sessions);
            for (var i = 0; i < sessions; i++)
            {
                var due = TimeSpan.FromSeconds(i / options.SteadyRate) - TimeProvider.System.GetElapsedTime(started);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, stopping);
                }

                running.Add(Task.Run(() => SampleAsync(result, source, options.SteadyHold)));
            }

            await Task.WhenAll(running);
        }

        return await FinishAsync(result);
    }

    private async Task SampleAsync(ShapeResult result, IPageSource source, TimeSpan length)
    {
        var load = MachineLoad.OneMinute();
        var startedAt = TimeProvider.System.GetTimestamp();
        try
        {
            var steps = await client.RunAsync(source, length, stopping);
            result.Variants[source.Spec].Add(steps, load);
            log.Write(result.Shape, source.Spec, startedAt, steps, load, null);
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            result.Variants[source.Spec].Fail(ex);
            log.Write(result.Shape, source.Spec, startedAt, null, load, ex);
        }
    }

    private async Task<ShapeResult> StartAsync(string shape, string description)
    {
        var result = new ShapeResult(shape, description, sources.Select(s => s.Spec)) { LoadBefore = MachineLoad.Line() };
        Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {description}; load {result.LoadBefore}");
        _missesBefore = [];
        foreach (var source in sources)
        {
            _missesBefore[source] = await source.MissesAsync();
        }

        return result;
    }

    private async Task<ShapeResult> FinishAsync(ShapeResult result)
    {
        result.LoadAfter = MachineLoad.Line();
        foreach (var source in sources)
        {
            result.Variants[source.Spec].Misses = await source.MissesAsync() - _missesBefore[source];
        }

        return result;
    }

    private Task WaitUntilWarmAsync() => Task.WhenAll(sources.Select(s => s.WaitUntilWarmAsync(stopping)));

    private IEnumerable<IPageSource> Rotated(int round) => sources.Skip(round % sources.Count).Concat(sources.Take(round % sources.Count));
}
