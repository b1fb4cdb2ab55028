using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using UFBrowsers.Grains.Pods;

namespace UFBrowsers.Grains.Tests;

/// <summary>
/// The demand rule of a pool's warm target, on a fake clock: ceil(λ·L + margin·min(1, λ·L)) within MinWarm..MaxWarm, then
/// within what MaxPods and memory leave.
/// </summary>
public sealed class WarmDemandTests
{
    private const int Unbounded = 1000;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    private static NodePoolOptions Pool(int minWarm = 2, int? maxWarm = 16, int margin = 2) =>
        new() { MinWarm = minWarm, MaxWarm = maxWarm, WarmMargin = margin, DemandWindowSeconds = 5, InitialLaunchSeconds = 1, RefillDelayMilliseconds = 0 };

    /// <summary>Launches that all took <paramref name="seconds"/>, enough of them for the deviation to fade.</summary>
    private static void Launches(WarmDemand demand, double seconds, int count = 40)
    {
        for (var i = 0; i < count; i++)
        {
            demand.Launched(TimeSpan.FromSeconds(seconds));
        }
    }

    private void Arrivals(WarmDemand demand, double perSecond, TimeSpan during)
    {
        var gap = TimeSpan.FromSeconds(1 / perSecond);
        for (var elapsed = TimeSpan.Zero; elapsed < during; elapsed += gap)
        {
            demand.Arrived(_clock.GetUtcNow());
            _clock.Advance(gap);
        }
    }

    [Fact]
    public void A_steady_arrival_rate_sizes_the_target_as_arrivals_during_a_launch_plus_the_margin()
    {
        var demand = new WarmDemand(Pool());
        Launches(demand, 0.5);

        Arrivals(demand, 3, TimeSpan.FromSeconds(60));
        var target = demand.Target(_clock.GetUtcNow(), Unbounded, null);

        // 3/s × 0.5 s = 1.5 arrivals per launch: ceil(1.5 + 2) = 4.
        Assert.InRange(target.ArrivalsPerSecond, 2.9, 3.2);
        Assert.InRange(target.LaunchSeconds, 0.5, 0.51);
        Assert.Equal((4, 4, WarmTargetLimit.Demand), (target.Pods, target.Wanted, target.LimitedBy));
    }

    [Fact]
    public void The_refill_delay_counts_as_part_of_a_launch()
    {
        var pool = Pool();
        pool.RefillDelayMilliseconds = 500;
        var demand = new WarmDemand(pool);
        Launches(demand, 0.5);

        Arrivals(demand, 3, TimeSpan.FromSeconds(60));
        var target = demand.Target(_clock.GetUtcNow(), Unbounded, null);

        // 3/s × (0.5 s delay + 0.5 s launch) = 3 arrivals before a replacement is ready: ceil(3 + 2) = 5 (4 without the delay).
        Assert.InRange(target.LaunchSeconds, 0.5, 0.51);
        Assert.Equal((5, 5, WarmTargetLimit.Demand), (target.Pods, target.Wanted, target.LimitedBy));
    }

    [Fact]
    public void A_burst_of_arrivals_raises_the_target_at_once_and_slower_launches_raise_it_further()
    {
        var demand = new WarmDemand(Pool());
        Launches(demand, 2);
        Assert.Equal((2, WarmTargetLimit.MinWarm), Read(demand.Target(_clock.GetUtcNow(), Unbounded, null)));

        for (var i = 0; i < 12; i++)
        {
            demand.Arrived(_clock.GetUtcNow());
        }

        // 12 arrivals in one instant over a 5 s window: 2.4/s; × 2 s launches = 4.8: ceil(4.8 + 2) = 7.
        Assert.Equal((7, WarmTargetLimit.Demand), Read(demand.Target(_clock.GetUtcNow(), Unbounded, null)));
        Launches(demand, 4);
        Assert.Equal((12, WarmTargetLimit.Demand), Read(demand.Target(_clock.GetUtcNow(), Unbounded, null)));
    }

    [Fact]
    public void A_rise_in_arrivals_is_followed_within_seconds()
    {
        var demand = new WarmDemand(Pool());
        Launches(demand, 1);

        Arrivals(demand, 3, TimeSpan.FromSeconds(2));
        var early = demand.Target(_clock.GetUtcNow(), Unbounded, null);
        Arrivals(demand, 3, TimeSpan.FromSeconds(8));
        var settled = demand.Target(_clock.GetUtcNow(), Unbounded, null);

        Assert.True(early.Pods > 2, $"after 2 s of 3/s the target is {early.Pods}");
        // After 10 s (two windows) the rate is within 15% of 3/s: 2.6 × 1 s + 2 → 5.
        Assert.InRange(settled.ArrivalsPerSecond, 2.55, 3.2);
        Assert.InRange(settled.Pods, 5, 6);
    }

    [Fact]
    public void Without_arrivals_the_target_falls_back_to_the_minimum()
    {
        var demand = new WarmDemand(Pool());
        Launches(demand, 1);
        Arrivals(demand, 5, TimeSpan.FromSeconds(30));
        Assert.True(demand.Target(_clock.GetUtcNow(), Unbounded, null).Pods > 2);

        _clock.Advance(TimeSpan.FromSeconds(30));
        var idle = demand.Target(_clock.GetUtcNow(), Unbounded, null);

        Assert.Equal((2, 0, WarmTargetLimit.MinWarm), (idle.Pods, idle.Wanted, idle.LimitedBy));
        Assert.True(idle.ArrivalsPerSecond < 0.05);
    }

    [Fact]
    public void Low_demand_keeps_the_minimum_as_the_margin_scales_with_the_arrivals_a_launch_expects()
    {
        var demand = new WarmDemand(Pool());
        Launches(demand, 0.5);

        Arrivals(demand, 0.2, TimeSpan.FromSeconds(60));
        var target = demand.Target(_clock.GetUtcNow(), Unbounded, null);

        // About 0.1 arrivals per launch: ceil(0.1 + 2 × 0.1) = 1, under the minimum of 2.
        Assert.Equal((1, 2, WarmTargetLimit.MinWarm), (target.Wanted, target.Pods, target.LimitedBy));
    }

    [Fact]
    public void The_target_never_exceeds_MaxWarm()
    {
        var demand = new WarmDemand(Pool(maxWarm: 6));
        Launches(demand, 3);

        Arrivals(demand, 20, TimeSpan.FromSeconds(20));
        var target = demand.Target(_clock.GetUtcNow(), Unbounded, null);

        Assert.True(target.Wanted > 6);
        Assert.Equal((6, WarmTargetLimit.MaxWarm), Read(target));
    }

    [Fact]
    public void MaxPods_caps_the_target_at_what_the_pods_serving_sessions_leave()
    {
        var demand = new WarmDemand(Pool());
        Launches(demand, 1);
        Arrivals(demand, 5, TimeSpan.FromSeconds(20));

        Assert.Equal((3, WarmTargetLimit.MaxPods), Read(demand.Target(_clock.GetUtcNow(), podsFree: 3, null)));
        Assert.Equal((0, WarmTargetLimit.MaxPods), Read(demand.Target(_clock.GetUtcNow(), podsFree: 0, null)));
        // Even the minimum yields to it: a pool whose pods all serve sessions keeps none warm.
        Assert.Equal((0, WarmTargetLimit.MaxPods), Read(new WarmDemand(Pool()).Target(_clock.GetUtcNow(), podsFree: -2, null)));
    }

    [Fact]
    public void Memory_caps_the_target_even_below_the_minimum()
    {
        var demand = new WarmDemand(Pool());
        Launches(demand, 1);
        Arrivals(demand, 5, TimeSpan.FromSeconds(20));

        Assert.Equal((4, WarmTargetLimit.Memory), Read(demand.Target(_clock.GetUtcNow(), Unbounded, memoryFree: 4)));
        Assert.Equal((1, WarmTargetLimit.Memory), Read(new WarmDemand(Pool()).Target(_clock.GetUtcNow(), Unbounded, memoryFree: 1)));
        // Both limits: the tighter one wins.
        Assert.Equal((2, WarmTargetLimit.Memory), Read(demand.Target(_clock.GetUtcNow(), podsFree: 3, memoryFree: 2)));
        Assert.Equal((2, WarmTargetLimit.MaxPods), Read(demand.Target(_clock.GetUtcNow(), podsFree: 2, memoryFree: 3)));
    }

    [Fact]
    public void The_launch_time_is_the_smoothed_mean_plus_twice_the_deviation_and_the_initial_guess_before_any_launch()
    {
        var demand = new WarmDemand(Pool());
        Assert.Equal(TimeSpan.FromSeconds(1), demand.LaunchTime);

        demand.Launched(TimeSpan.FromSeconds(2));
        Assert.Equal(4, demand.LaunchTime.TotalSeconds, 6);

        Launches(demand, 0.4, count: 80);
        Assert.InRange(demand.LaunchTime.TotalSeconds, 0.4, 0.41);

        // One slow launch among fast ones raises the estimate well beyond its share of the mean: mean 0.4 + 2/8 = 0.65,
        // deviation 2/4 = 0.5, so 0.65 + 2 × 0.5 = 1.65 s.
        demand.Launched(TimeSpan.FromSeconds(2.4));
        Assert.InRange(demand.LaunchTime.TotalSeconds, 1.64, 1.66);
    }

    [Fact]
    public void A_pool_configured_without_warm_pods_stays_on_demand_unless_MaxWarm_says_otherwise()
    {
        var onDemand = new WarmDemand(Pool(minWarm: 0, maxWarm: null));
        var prewarmed = new WarmDemand(Pool(minWarm: 0, maxWarm: 5));
        foreach (var demand in new[] { onDemand, prewarmed })
        {
            Launches(demand, 1);
            for (var i = 0; i < 10; i++)
            {
                demand.Arrived(_clock.GetUtcNow());
            }
        }

        Assert.Equal(0, onDemand.Target(_clock.GetUtcNow(), Unbounded, null).Pods);
        Assert.Equal(5, prewarmed.Target(_clock.GetUtcNow(), Unbounded, null).Pods);
        Assert.Equal(0, new WarmDemand(Pool(minWarm: 0, maxWarm: 5)).Target(_clock.GetUtcNow(), Unbounded, null).Pods);
    }

    [Fact]
    public void The_earlier_WarmTarget_setting_is_read_as_the_minimum()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["NodePools:old:WarmTarget"] = "3",
            ["NodePools:new:MinWarm"] = "4",
            ["NodePools:new:MaxWarm"] = "9",
        }).Build();

        var options = configuration.Get<PodPoolOptions>()!;

        Assert.Equal((3, NodePoolOptions.DefaultMaxWarm), (options.NodePools["old"].MinWarm, options.NodePools["old"].EffectiveMaxWarm));
        Assert.Equal((4, 9), (options.NodePools["new"].MinWarm, options.NodePools["new"].EffectiveMaxWarm));
        Assert.Equal(2, new NodePoolOptions { MinWarm = 2, MaxWarm = 1 }.EffectiveMaxWarm);
    }

    private static (int Pods, WarmTargetLimit LimitedBy) Read(WarmTargetReading target) => (target.Pods, target.LimitedBy);
}
