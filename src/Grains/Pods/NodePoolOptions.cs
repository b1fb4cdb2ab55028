namespace UFBrowsers.Grains.Pods;

/// <summary>
/// One node pool (<c>UFBrowsers:Pods:NodePools:&lt;pool&gt;</c>). Its warm target follows demand (see <see cref="WarmDemand"/>):
/// arrival rate × launch time + <see cref="WarmMargin"/>, never below <see cref="MinWarm"/>, never above <see cref="MaxWarm"/>,
/// the pods <see cref="MaxPods"/> leaves beside those serving sessions, or what the machine's memory holds.
/// </summary>
public sealed class NodePoolOptions
{
    /// <summary>The warm pods this pool keeps when nobody asks for one (the fixed warm target of earlier versions).</summary>
    public int MinWarm { get; set; } = 2;

    /// <summary>The earlier name of <see cref="MinWarm"/>, still read from configuration.</summary>
    public int WarmTarget
    {
        get => MinWarm;
        set => MinWarm = value;
    }

    /// <summary>
    /// The most warm pods demand may ask for. Unset: <see cref="DefaultMaxWarm"/>, or 0 when <see cref="MinWarm"/> is 0, so a
    /// pool configured without warm pods stays an on-demand pool (on Kubernetes: pods made in the tenant's namespace).
    /// </summary>
    public int? MaxWarm { get; set; }

    /// <summary>How many pods of this pool (warm, starting and assigned) may exist at once on this silo's provider.</summary>
    public int MaxPods { get; set; } = 20;

    /// <summary>Warm pods kept beyond the expected arrivals during one launch, for the bursts the average does not show.</summary>
    public int WarmMargin { get; set; } = 2;

    /// <summary>Warm pods beyond the target that have waited this long unused are deleted, oldest first.</summary>
    public int ShrinkAfterIdleSeconds { get; set; } = 60;

    /// <summary>The time constant of the arrival rate's moving average: short follows a rise fast, long smooths noise.</summary>
    public double DemandWindowSeconds { get; set; } = 5;

    /// <summary>The launch time assumed until the pool has measured one of its own.</summary>
    public double InitialLaunchSeconds { get; set; } = 1;

    /// <summary>
    /// How long the replacement of a warm pod that was handed out waits before it starts, while the pool still holds another
    /// warm pod for the next session (when it held none, the replacement starts at once). A launch takes a few hundred
    /// milliseconds of CPU, and the first moments of a browser just handed out (the customer connects, opens a page,
    /// evaluates) are when a busy machine is felt most. The warm target counts this wait as part of a launch. 0: at once.
    /// </summary>
    public int RefillDelayMilliseconds { get; set; } = 200;

    /// <summary>
    /// Pods a pool that keeps warm pods launches at once; sessions that find none ready queue for them. Launches share the
    /// machine (or the node), so starting many together makes each slower. Unset: the provider's hint (local: twice the
    /// machine's processors, as a launch is mostly CPU and partly waiting), else <see cref="DefaultMaxParallelStarts"/>.
    /// </summary>
    public int? MaxParallelStarts { get; set; }

    public const int DefaultMaxParallelStarts = 8;

    public const int DefaultMaxWarm = 16;

    /// <summary><see cref="MaxWarm"/> as it applies: never below <see cref="MinWarm"/>.</summary>
    public int EffectiveMaxWarm => Math.Max(MinWarm, MaxWarm ?? (MinWarm == 0 ? 0 : DefaultMaxWarm));
}
