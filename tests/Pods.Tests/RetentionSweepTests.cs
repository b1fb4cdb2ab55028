using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using UFBrowsers.Silo.Hosting;

namespace UFBrowsers.Pods.Tests;

/// <summary>The timer loop both retention sweeps (downloads, recordings) share.</summary>
public sealed class RetentionSweepTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task It_sweeps_at_start_then_every_interval_with_the_clocks_time_and_a_failed_sweep_is_tried_again_at_the_next_tick()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        var sweep = new ScriptedSweep(clock, failOnCall: 2);
        await sweep.StartAsync(CancellationToken.None);
        await sweep.WaitForCallsAsync(1);
        Assert.Equal([clock.GetUtcNow()], sweep.Times);

        clock.Advance(Interval - TimeSpan.FromSeconds(1));
        await Task.Delay(100);
        Assert.Single(sweep.Times);

        clock.Advance(TimeSpan.FromSeconds(1));
        await sweep.WaitForCallsAsync(2);
        clock.Advance(Interval);
        await sweep.WaitForCallsAsync(3);
        Assert.Equal(3, sweep.Times.Count);
        Assert.Equal(Interval * 2, sweep.Times[2] - sweep.Times[0]);
        Assert.False(sweep.ExecuteTask!.IsCompleted, "a failed sweep never stops the loop");

        await sweep.StopAsync(CancellationToken.None);
        Assert.True(sweep.ExecuteTask.IsCompletedSuccessfully);
        clock.Advance(Interval * 3);
        await Task.Delay(100);
        Assert.Equal(3, sweep.Times.Count);
    }

    private sealed class ScriptedSweep(FakeTimeProvider clock, int failOnCall)
        : RetentionSweep(Interval, clock, NullLogger.Instance, "things")
    {
        private readonly SemaphoreSlim _called = new(0);

        public List<DateTimeOffset> Times { get; } = [];

        public async Task WaitForCallsAsync(int count)
        {
            while (Times.Count < count)
            {
                Assert.True(await _called.WaitAsync(TimeSpan.FromSeconds(10)), $"sweep {count} did not run");
            }
        }

        protected override Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
        {
            Times.Add(now);
            _called.Release();
            return Times.Count == failOnCall ? Task.FromException<int>(new TimeoutException("the database went away")) : Task.FromResult(Times.Count);
        }
    }
}
