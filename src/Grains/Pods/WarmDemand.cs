namespace UFBrowsers.Grains.Pods;

/// <summary>
/// How many warm pods a pool wants now. A pod handed out is replaced by a launch that takes the launch time L; while it
/// runs, arrivals at rate λ take λ·L more pods, so the pool keeps ready-or-starting pods for λ·L arrivals plus a margin:
/// <c>ceil(λ·L + WarmMargin × min(1, λ·L))</c>, within <see cref="NodePoolOptions.MinWarm"/> and <see cref="NodePoolOptions.MaxWarm"/>,
/// then within what <see cref="NodePoolOptions.MaxPods"/> and the machine's memory leave.
/// </summary>
/// <remarks>
/// λ is an exponentially weighted moving average of acquisitions (each one adds 1/τ, and the sum decays by e^(-t/τ), τ =
/// <see cref="NodePoolOptions.DemandWindowSeconds"/>), so a steady rate is followed within a few τ and an idle pool's rate
/// fades to nothing. L is the pool's own launches, smoothed as TCP smooths round trips (RFC 6298): the mean plus twice the
/// mean deviation, a time most launches stay under. Pure and clock-free: the pool passes the times in.
/// </remarks>
public sealed class WarmDemand(NodePoolOptions options)
{
    /// <summary>Expected arrivals during a launch below which the pool wants no warm pod for demand (only its minimum).</summary>
    private const double NoDemand = 0.05;

    private double _arrivals;
    private DateTimeOffset _arrivalsAt;
    private double? _launchMean;
    private double _launchDeviation;

    public int LaunchesMeasured { get; private set; }

    /// <summary>A pod was asked for at <paramref name="at"/>.</summary>
    public void Arrived(DateTimeOffset at)
    {
        _arrivals = DecayedArrivals(at) + 1;
        _arrivalsAt = at > _arrivalsAt ? at : _arrivalsAt;
    }

    /// <summary>A launch of this pool took <paramref name="took"/>.</summary>
    public void Launched(TimeSpan took)
    {
        var sample = Math.Max(0, took.TotalSeconds);
        if (_launchMean is not { } mean)
        {
            _launchMean = sample;
            _launchDeviation = sample / 2;
        }
        else
        {
            _launchDeviation = 0.75 * _launchDeviation + 0.25 * Math.Abs(sample - mean);
            _launchMean = 0.875 * mean + 0.125 * sample;
        }

        LaunchesMeasured++;
    }

    /// <summary>The smoothed arrival rate, per second.</summary>
    public double ArrivalsPerSecond(DateTimeOffset now) => DecayedArrivals(now) / Window;

    /// <summary>The launch time the target is sized for.</summary>
    public TimeSpan LaunchTime => TimeSpan.FromSeconds(_launchMean is { } mean ? mean + 2 * _launchDeviation : Math.Max(0, options.InitialLaunchSeconds));

    /// <summary>
    /// The warm target now. <paramref name="podsFree"/>: the warm pods <see cref="NodePoolOptions.MaxPods"/> leaves beside the
    /// pods serving or being made for sessions; <paramref name="memoryFree"/>: the warm pods the machine's memory holds (null:
    /// no such limit).
    /// </summary>
    public WarmTargetReading Target(DateTimeOffset now, int podsFree, int? memoryFree)
    {
        var rate = ArrivalsPerSecond(now);
        var launch = LaunchTime.TotalSeconds;
        // A hand-out's replacement is ready the refill delay plus a launch after it.
        var expected = rate * (launch + Math.Max(0, options.RefillDelayMilliseconds) / 1000.0);
        // The margin covers the arrivals' spread around their mean; it counts in full once a launch expects a whole arrival
        // (below that, the minimum covers the spread: at 0.2 expected arrivals, two in one launch happen 1.7% of the time).
        var wanted = expected < NoDemand ? 0 : (int)Math.Ceiling(expected + Math.Max(0, options.WarmMargin) * Math.Min(1, expected) - 1e-9);
        var (target, limit) = wanted <= options.MinWarm ? (options.MinWarm, WarmTargetLimit.MinWarm)
            : wanted >= options.EffectiveMaxWarm ? (options.EffectiveMaxWarm, WarmTargetLimit.MaxWarm)
            : (wanted, WarmTargetLimit.Demand);
        if (podsFree < target)
        {
            (target, limit) = (Math.Max(0, podsFree), WarmTargetLimit.MaxPods);
        }

        if (memoryFree is { } memory && memory < target)
        {
            (target, limit) = (Math.Max(0, memory), WarmTargetLimit.Memory);
        }

        return new WarmTargetReading(target, wanted, limit, rate, launch);
    }

    private double Window => Math.Max(0.1, options.DemandWindowSeconds);

    private double DecayedArrivals(DateTimeOffset now)
    {
        var elapsed = (now - _arrivalsAt).TotalSeconds;
        return elapsed <= 0 ? _arrivals : _arrivals * Math.Exp(-elapsed / Window);
    }
}

/// <summary>A pool's warm target and what set it: the demand rule, its bounds, or the room left.</summary>
/// <param name="Wanted">What demand asks for before the bounds: ceil(rate × launch + margin × min(1, rate × launch)), or 0 without demand.</param>
public readonly record struct WarmTargetReading(int Pods, int Wanted, WarmTargetLimit LimitedBy, double ArrivalsPerSecond, double LaunchSeconds);

public enum WarmTargetLimit
{
    Demand = 0,
    MinWarm = 1,
    MaxWarm = 2,
    MaxPods = 3,
    Memory = 4,
}
